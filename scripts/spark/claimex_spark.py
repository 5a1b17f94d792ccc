"""claimex on Apache Spark: extract a corpus in parallel, then rank and group its claims.

    spark-submit --archives claimex.tar.gz#claimex claimex_spark.py extract IN OUT
    spark-submit --archives claimex.tar.gz#claimex claimex_spark.py desk OUT/records OUT/desk
    spark-submit ... claimex_spark.py to-jsonl RECORDS.parquet OUT   (Parquet records as JSONL)

`extract` reads JSONL articles from any path Spark reads (local, HDFS, S3 as the cluster is
configured), numbers every line (its number in the whole input, so a line without an "id"
gets the id `-:N` that `claimex extract - < input` gives it), pipes each partition through
`claimex extract - --numbered-lines --article-errors-ok` with `RDD.pipe` (exit code checked:
only a usage or setup error fails a task; a bad article is an error record), and writes the
records in input order, as JSONL part files or as Parquet (id, status, error_kind, record).

`desk` is the fact-checkers' desk over the whole corpus (`claimex claims --format jsonl` and
`--groups`, the same bytes): each partition of records goes through
`claimex claims --format keys`, which gives every claim its row and its grouping keys (the
normalised text, the embedding's signature in each of 12 hash tables, the embedding); Spark
then ranks the rows globally and groups across partitions exactly as `claimex claims` does
(see pipeline/src/desk/group.rs):
  1. every claim gets its rank in the stable order (article id, span, standalone text);
  2. claims of different articles with the same non-empty normalised text are linked;
  3. claims sharing a bucket (table, signature) are compared with at most 24 following
     claims of that bucket in rank order, and linked when their cosine reaches the threshold;
  4. the links (only pairs that passed, a few bytes each) are joined into components on the
     driver; the groups are then built, distributed, per component.
The claimex binary and its models come with `--archives` (the folder `make install` writes,
packed: see the README, "Engines"); the job finds it at `claimex/claimex` relative to the
executor's working directory, or in local mode in SparkFiles' root, or where `--claimex` says.
"""

import argparse
import hashlib
import json
import math
import os
import shlex
import sys

WINDOW = 24  # pipeline/src/desk/group.rs: WINDOW
HEAD = 64  # members a representative is chosen among (group.rs: representative)


def binary(spark, given):
    """The claimex binary's path as the executors see it."""
    if given:
        return given
    master = spark.sparkContext.master
    if master.startswith("local"):
        from pyspark import SparkFiles

        return os.path.join(SparkFiles.getRootDirectory(), "claimex", "claimex")
    return "./claimex/claimex"


# what claimex reads from its environment, passed on from the driver's (RDD.pipe starts the
# command in an empty environment: the binary needs nothing from it)
PASSED_ON = ("CLAIMEX_PRECISION",)


def pipe(rdd, argv):
    """Pipes every partition through `argv`, a partition at a time, in order; a nonzero exit
    fails the task (Spark retries it, then fails the job with claimex's message)."""
    env = {k: os.environ[k] for k in PASSED_ON if k in os.environ}
    return rdd.pipe(shlex.join(argv), env=env, checkCode=True)


def record_row(line):
    r = json.loads(line)
    err = r.get("error") or {}
    return (r.get("id"), r.get("status"), err.get("kind"), line)


CHUNK = 64  # pipeline/src/runner.rs: CHUNK, the articles of one model batch
BLANK = " \t\n\x0c\r"  # what claimex skips as a blank line (Rust's ASCII whitespace)


def blank(line, first):
    """A line claimex skips: only ASCII whitespace (after the byte order mark, on line 1)."""
    if first and line.startswith("\ufeff"):
        line = line[1:]
    return line.strip(BLANK) == ""


def numbered_articles(sc, path, per):
    """The input's non-blank lines as `N<TAB>line` (N the line's number in the whole input),
    in partitions of `per` articles: partition k holds articles k*per .. (k+1)*per - 1, so
    every claimex model batch (CHUNK articles) holds what it holds in one `claimex extract`
    over the whole input, and the records are the same to the byte."""
    lines = sc.textFile(path)

    def count(p, it):
        n = k = 0
        for line in it:
            k += not blank(line, p == 0 and n == 0)
            n += 1
        yield (p, n, k)

    # one counting pass: where each input partition's lines and articles start
    counts = sorted(lines.mapPartitionsWithIndex(count).collect())
    starts, n0, k0 = {}, 0, 0
    for p, n, k in counts:
        starts[p] = (n0, k0)
        n0, k0 = n0 + n, k0 + k
    parts = max(1, -(-k0 // per))

    def number(p, it):
        n, k = starts[p]
        for i, line in enumerate(it):
            if not blank(line, p == 0 and i == 0):
                yield (k, "%d\t%s" % (n + 1, line))
                k += 1
            n += 1

    keyed = lines.mapPartitionsWithIndex(number)
    return keyed.repartitionAndSortWithinPartitions(parts, lambda k: k // per).values()


def extract(spark, args):
    sc = spark.sparkContext
    numbered = numbered_articles(sc, args.input, CHUNK * args.chunks)
    argv = [binary(spark, args.claimex), "extract", "-", "--numbered-lines"]
    argv += ["--article-errors-ok", "-q", "--threads", str(args.threads)]
    if args.no_models:
        argv.append("--no-models")
    records = pipe(numbered, argv)
    if args.format == "parquet":
        from pyspark.sql.types import StringType, StructField, StructType

        schema = StructType(
            [
                StructField("id", StringType()),
                StructField("status", StringType()),
                StructField("error_kind", StringType()),
                StructField("record", StringType()),
            ]
        )
        spark.createDataFrame(records.map(record_row), schema).write.parquet(args.output)
    else:
        records.saveAsTextFile(args.output)


def to_jsonl(spark, args):
    df = spark.read.parquet(args.input)
    df.select("record").rdd.map(lambda r: r[0]).saveAsTextFile(args.output)


def cosine(a, b):
    """group.rs `cosine`: integer sums, the quotient in float64, rounded to float32."""
    import numpy as np

    a64, b64 = a.astype(np.int64), b.astype(np.int64)
    d, na, nb = int(a64 @ b64), int(a64 @ a64), int(b64 @ b64)
    if na == 0 or nb == 0:
        return np.float32(0.0)
    return np.float32(d / (math.sqrt(na) * math.sqrt(nb)))


def decode(e):
    import base64

    import numpy as np

    return None if e is None else np.frombuffer(base64.b64decode(e), dtype=np.int8)


def n_components(e):
    """Components of an embedding from its base64's length (standard, padded, as claimex
    writes it), without decoding it."""
    return len(e) // 4 * 3 - e[-2:].count("=")


def group_id(article, start, end):
    h = hashlib.sha256()
    h.update(article.encode("utf-8") + b"\0" + str(start).encode() + b"\0" + str(end).encode())
    return "g" + h.hexdigest()[:10]


def bucket_pairs(ranks):
    """Pairs a bucket compares: each claim with its next WINDOW claims in rank order, of
    another article. `ranks`: (rank, article) of the bucket's members."""
    members = sorted(ranks)
    for i, (a, art_a) in enumerate(members):
        for b, art_b in members[i + 1 : i + 1 + WINDOW]:
            if art_a != art_b:
                yield (a, b)


def text_links(members):
    """Claims with the same normalised text in two or more articles: all linked to the first."""
    members = sorted(members)
    if len({art for _, art in members}) < 2:
        return []
    first = members[0][0]
    return [(first, r) for r, _ in members[1:]]


def components(links):
    """Union-find over the links (ranks): rank -> root, the smallest rank of its component."""
    parent = {}

    def find(x):
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = min(ra, rb), max(ra, rb)
            parent[hi] = lo
            parent.setdefault(lo, lo)
    return {x: find(x) for x in parent}


def make_group(members):
    """One component's group (group.rs `group` and `representative`): members as (rank,
    article, claim, start, end, standalone, embedding or None, text key), in any order.
    Returns the group's id, its line of the groups table, and its members' ranks."""
    members = sorted(members, key=lambda m: m[0])
    _, article, _, start, end = members[0][:5]
    head = members[:HEAD]
    vecs = [decode(m[6]) for m in head]

    def score(i):
        total = 0.0
        for j in range(len(head)):
            if vecs[i] is not None and vecs[j] is not None:
                total += float(cosine(vecs[i], vecs[j]))
            else:
                total += float(head[i][7] == head[j][7])
        return total

    best, best_score = 0, score(0)
    for i in range(1, len(head)):
        s = score(i)
        if s > best_score + 1e-9:
            best, best_score = i, s
    gid = group_id(article, start, end)
    out = {
        "id": gid,
        "size": len(members),
        "articles": len({m[1] for m in members}),
        "text": head[best][5],
        "members": [[m[1], m[2]] for m in members],
    }
    return gid, out, [m[0] for m in members]


def dumps(obj):
    """serde_json's compact form: no spaces, UTF-8 as it is."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def desk(spark, args):
    import numpy as np

    sc = spark.sparkContext
    threshold = np.float32(args.threshold)
    records = sc.textFile(args.records, minPartitions=args.partitions)
    keyed = pipe(records, [binary(spark, args.claimex), "claims", "--format", "keys", "-q", "-"])

    # (position in the batch, row): the tie-break where the stable order and the ranking
    # would otherwise tie (an article id given twice), as claimex's stable sorts do
    def parse(p, it):
        for i, line in enumerate(it):
            yield ((p, i), json.loads(line))

    rows = keyed.mapPartitionsWithIndex(parse)
    ranked = (
        rows.map(lambda t: ((t[1]["article"], t[1]["start"], t[1]["end"], t[1]["standalone"], t[0]), t[1]))
        .sortByKey()
        .zipWithIndex()
        .map(lambda t: (t[1], t[0][0][4], t[0][1]))  # (rank, position, row)
        .cache()
    )
    with_emb = ranked.filter(lambda t: t[2]["embedding"] is not None)
    first = with_emb.take(1)
    dim = n_components(first[0][2]["embedding"]) if first else 0

    # candidate pairs from the buckets, compared with the cosine
    def entries(t):
        rank, _, row = t
        if row["buckets"] is None or dim == 0 or n_components(row["embedding"]) != dim:
            return []
        return [((k, sig), (rank, row["article"])) for k, sig in enumerate(row["buckets"])]

    pairs = ranked.flatMap(entries).groupByKey().flatMap(lambda kv: bucket_pairs(list(kv[1]))).distinct()
    # embeddings decoded once, joined to both ends of every candidate pair
    emb = with_emb.map(lambda t: (t[0], decode(t[2]["embedding"])))
    linked = (
        pairs.join(emb)  # (a, (b, ea))
        .map(lambda t: (t[1][0], (t[0], t[1][1])))
        .join(emb)  # (b, ((a, ea), eb))
        .filter(lambda t: cosine(t[1][0][1], t[1][1]) >= threshold)
        .map(lambda t: (t[1][0][0], t[0]))
    )
    texts = (
        ranked.filter(lambda t: t[2]["text_key"] != "")
        .map(lambda t: (t[2]["text_key"], (t[0], t[2]["article"])))
        .groupByKey()
        .flatMap(lambda kv: text_links(list(kv[1])))
    )
    root_of = components(linked.union(texts).collect())
    roots = sc.parallelize(sorted(root_of.items()), max(1, sc.defaultParallelism))

    def member(t):
        rank, _, row = t
        return (rank, (row["article"], row["claim"], row["start"], row["end"], row["standalone"], row["embedding"], row["text_key"]))

    built = (
        roots.join(ranked.map(member))  # (rank, (root, fields))
        .map(lambda t: (t[1][0], (t[0],) + t[1][1]))
        .groupByKey()
        .map(lambda kv: make_group(list(kv[1])))
        .cache()
    )
    groups = built.map(lambda g: g[1]).sortBy(lambda g: (-g["size"], g["id"]))
    of = built.flatMap(lambda g: [(r, (g[0], len(g[2]))) for r in g[2]])

    def finish(t):
        rank, ((position, row), grp) = t
        for k in ("text_key", "buckets", "embedding"):
            row.pop(k)
        if grp is not None:
            row["group"], row["group_size"] = grp
        return row, position

    def order(t):
        row, position = t
        score = row["checkworthiness"]
        return (-(score if score is not None else -1.0), row["article"], row["start"], row["end"], position)

    table = ranked.map(lambda t: (t[0], (t[1], t[2]))).leftOuterJoin(of).map(finish).sortBy(order).zipWithIndex()

    def line(t):
        (row, _), k = t
        row["rank"] = k + 1
        return dumps(row)

    table.map(line).saveAsTextFile(os.path.join(args.output, "claims"))
    groups.map(dumps).saveAsTextFile(os.path.join(args.output, "groups"))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="step", required=True)
    e = sub.add_parser("extract", help="articles (JSONL) to records")
    e.add_argument("input", help="JSONL articles: a path, a folder or a glob Spark reads")
    e.add_argument("output", help="a folder to create (JSONL part files, or Parquet)")
    e.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl")
    e.add_argument("--threads", type=int, default=1, help="claimex --threads per task (spark.task.cpus)")
    e.add_argument("--no-models", action="store_true", help="rules only")
    e.add_argument(
        "--chunks",
        type=int,
        default=16,
        help="articles per task, in claimex's model batches of 64 (default 16: 1,024 articles)",
    )
    e.add_argument("--claimex", help="the claimex binary's path on the executors")
    d = sub.add_parser("desk", help="records to the ranked claims table and the groups")
    d.add_argument("records", help="records (JSONL), e.g. extract's output folder")
    d.add_argument("output", help="a folder to create: claims/ and groups/ (JSONL part files)")
    d.add_argument("--threshold", default="0.87", help="cosine at which claims are the same")
    d.add_argument("--partitions", type=int, default=None)
    d.add_argument("--claimex")
    j = sub.add_parser("to-jsonl", help="Parquet records (extract --format parquet) as JSONL")
    j.add_argument("input")
    j.add_argument("output")
    args = p.parse_args(argv)

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("claimex-" + args.step).getOrCreate()
    try:
        {"extract": extract, "desk": desk, "to-jsonl": to_jsonl}[args.step](spark, args)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
