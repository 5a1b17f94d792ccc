# claimex: two commands for a newcomer, `make run` and `make test`.
SHELL := /bin/bash
DEPS := $(CURDIR)/.deps
export LIBTORCH := $(DEPS)/libtorch
export LIBTORCH_CXX11_ABI := 0
export CLAIMEX_MODELS_BASE := $(DEPS)/minilm
CARGO ?= cargo
BIN := target/release/claimex

.PHONY: setup build run test bench lint fmt clean

setup:
	@bash scripts/setup.sh

build: setup
	$(CARGO) build --release

run: build
	@mkdir -p out
	./$(BIN) extract fixtures/articles -o out/claims.jsonl; rc=$$?; \
	  ./$(BIN) summary out/claims.jsonl; exit $$rc

test: setup
	$(CARGO) build --release
	$(CARGO) test --release --workspace
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings

bench: build
	bash scripts/bench.sh

fmt:
	$(CARGO) fmt --all

clean:
	rm -rf target out
