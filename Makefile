# claimex: two commands for a newcomer, `make run` and `make test`.
SHELL := /bin/bash
DEPS := $(CURDIR)/.deps
export LIBTORCH := $(DEPS)/libtorch
export LIBTORCH_CXX11_ABI := 0
export CLAIMEX_MODELS_BASE := $(DEPS)/minilm
CARGO ?= cargo
BIN := target/release/claimex

.PHONY: setup build install dist run test bench fuzz train eval fmt clean

setup:
	@bash scripts/setup.sh

build: setup
	$(CARGO) build --release

# One relocatable folder: binary, libtorch libraries, models, base encoder (scripts/install.sh).
PREFIX ?= $(CURDIR)/dist/claimex
install: build
	bash scripts/install.sh $(PREFIX)

# The install folder as one archive, for another machine or Spark's --archives (README, "Engines").
DIST ?= $(CURDIR)/dist/claimex-linux-x86_64.tar.gz
dist: install
	bash scripts/install.sh --pack $(PREFIX) $(DIST)

run: build
	@mkdir -p out
	./$(BIN) extract fixtures/articles -o out/claims.jsonl; rc=$$?; \
	  ./$(BIN) summary out/claims.jsonl; exit $$rc

# CLAIMEX_REQUIRE_MODELS=1: a test that needs the base encoder fails, not skips, without it
test: setup
	$(CARGO) build --release
	CLAIMEX_REQUIRE_MODELS=1 $(CARGO) test --release --workspace
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings

bench: build
	bash scripts/bench.sh

# Property tests run long (make test runs 256 cases a property); failures are kept in
# pipeline/proptest-regressions/ and replayed first by every later run.
PROPTEST_CASES ?= 20000
fuzz:
	PROPTEST_CASES=$(PROPTEST_CASES) $(CARGO) test --release -p claimex-pipeline --lib proptests

DATA ?= ../shared/data

# Retrains the shipped models from ../shared/data (never committed); see the model cards.
train: build
	@test -d $(DATA) || { echo "no data at $(DATA): training needs ../shared/data"; exit 2; }
	./$(BIN) train checkworthiness --data $(DATA)/checkworthy --out models/checkworthiness
	./$(BIN) train attribution --data $(DATA)/polnear --out target/train/attribution-stage1 --epochs 3 --split 2
	./$(BIN) train attribution --data $(DATA)/polnear --out target/train/stage2/attribution --epochs 2 --lr 5e-5 --init target/train/attribution-stage1
	./$(BIN) train taggers --data $(DATA) --out target/train/stage3 --epochs 3 --lr 5e-5 --repeat 3 --init target/train/stage2
	./$(BIN) train taggers --data $(DATA) --out target/train/stage4 --epochs 2 --lr 5e-5 --repeat 8 --init target/train/stage3
	./$(BIN) train taggers --data $(DATA) --out target/train/stage5 --epochs 2 --lr 3e-5 --repeat 8 --init target/train/stage4
	./$(BIN) train taggers --data $(DATA) --out models --split 0 --epochs 2 --lr 5e-5 --repeat 8 --init target/train/stage5
	cp target/train/attribution-stage1/train.log models/attribution/train-stage1.log
	for s in 2 3 4 5; do cp target/train/stage$$s/attribution/train.log models/attribution/train-stage$$s.log; done
	./$(BIN) train entity-head --data $(DATA)/gum --out target/train/entity-head --epochs 10
	cp target/train/entity-head/model.safetensors target/train/entity-head/config.json models/entities/
	cp target/train/entity-head/train.log models/entities/train-head.log

# Accuracy on the dev splits (README, "Accuracy").
eval: build
	@test -d $(DATA) || { echo "SKIPPED: no data at $(DATA)"; exit 0; }
	@mkdir -p out
	./$(BIN) extract -q --no-models $(DATA)/polnear/dev/text -o out/polnear-dev-rules.jsonl
	./$(BIN) eval attribution --gold $(DATA)/polnear/dev --pred out/polnear-dev-rules.jsonl
	./$(BIN) extract -q $(DATA)/polnear/dev/text -o out/polnear-dev.jsonl
	./$(BIN) eval attribution --gold $(DATA)/polnear/dev --pred out/polnear-dev.jsonl
	./$(BIN) checkworthiness $(DATA)/checkworthy/CT24_checkworthy_english_dev-test.tsv > out/cw-dev-test.jsonl
	./$(BIN) eval checkworthiness --gold $(DATA)/checkworthy/CT24_checkworthy_english_dev-test.tsv --pred out/cw-dev-test.jsonl
	./$(BIN) eval entities --gold $(DATA)/gum/dev
	./$(BIN) eval speakers --gold $(DATA)/gap/gap-validation.tsv

fmt:
	$(CARGO) fmt --all

clean:
	rm -rf target out
