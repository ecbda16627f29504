"""The shared vocabulary of rubric phrasings: terms that mean the same, and word classes.

Each entry names a concept and lists the ways people say it aloud. A rubric phrasing
names a concept with ``@name``. Synonyms (:data:`SYNONYMS`) also widen every phrasing
that contains one of their forms, so "revert to the previous version" in a bank hears
"we rolled it back to the old model" in an answer; word classes (:data:`CLASSES`) are
building blocks that only count where a phrasing names them ("i @did").

Forms are plain words (compared by stem, with small misspellings tolerated), ``#number``
for any number, or ``@name`` for another concept. Keep every synonym a real synonym in an
interview answer: a loose form here loosens every rubric point that uses the concept.
"""

from __future__ import annotations

SYNONYMS: dict[str, tuple[str, ...]] = {
    "rollback": (
        "roll back", "rollback", "revert", "reverted", "switch back", "switched back",
        "undo the deploy", "undid the deploy", "rolled back", "roll it back", "flip back", "flipped back",
    ),
    "previous-model": (
        "previous version", "previous model", "old model", "old version", "last good model",
        "last known good", "last good version", "prior version", "prior model", "earlier version",
        "last version", "older model", "older version", "previous release", "last stable",
        "stable version", "current model", "production model", "model in production",
    ),
    "psi": ("psi", "population stability index", "population stability", "stability index"),
    "ks-test": ("ks test", "k s test", "kolmogorov smirnov", "kolmogorov", "smirnov"),
    "divergence": (
        "kl divergence", "kullback leibler", "jensen shannon", "js divergence", "wasserstein",
        "earth mover", "chi square", "chi squared", "hellinger",
    ),
    "canary": ("canary", "canaries", "canary release", "canary deployment", "canary rollout"),
    "shadow": ("shadow mode", "shadow deployment", "shadow traffic", "in shadow", "shadowing", "dark launch", "shadow"),
    "retrain": ("retrain", "retrained", "retraining", "train again", "trained again", "refit", "retrain job", "re train"),
    "data-drift": (
        "data drift", "covariate shift", "input drift", "feature drift", "input distribution",
        "feature distribution", "distribution of inputs", "distribution of features",
        "distribution of the inputs", "distribution of the features", "inputs change",
        "inputs shift", "input data changes", "input data shifts",
    ),
    "concept-drift": (
        "concept drift", "relationship between inputs", "relationship between the inputs",
        "relationship between features", "mapping from inputs", "label shift", "prior shift",
        "target drift", "posterior shift",
    ),
    "registry": ("model registry", "registry", "mlflow", "weights and biases", "wandb", "sagemaker model registry", "vertex model registry"),
    "experiment-tracking": ("experiment tracking", "track experiments", "tracking server", "mlflow", "weights and biases", "wandb", "neptune", "comet"),
    "feature-store": ("feature store", "feature stores", "feature platform"),
    "offline-store": ("offline store", "offline side", "historical store", "data warehouse", "warehouse", "data lake", "parquet"),
    "online-store": ("online store", "online side", "low latency store", "key value store", "redis", "dynamodb", "cassandra"),
    "skew": (
        "training serving skew", "train serve skew", "training serving mismatch", "skew",
        "computed differently", "calculated differently", "different code", "two implementations",
        "implemented twice", "mismatch between training and serving",
    ),
    "latency": ("latency", "latencies", "response time", "response times", "p99", "p95", "p50", "tail latency", "milliseconds", "ms"),
    "ground-truth": (
        "ground truth", "true labels", "actual labels", "real labels", "actual outcomes", "real outcomes",
        "labels come back", "labels arrive", "outcomes come back",
    ),
    "business-metric": (
        "business metric", "business metrics", "business kpi", "kpi", "kpis", "conversion",
        "conversion rate", "revenue", "click through", "ctr", "retention", "engagement",
        "sales", "business outcome", "business outcomes", "business impact", "business result",
        "business results", "business value",
    ),
    "dvc": ("dvc", "data version control", "git lfs", "lakefs", "pachyderm"),
    "table-format": ("delta lake", "delta tables", "delta table", "iceberg", "apache iceberg", "hudi", "lakehouse"),
    "object-storage": ("s3", "s3 bucket", "object storage", "object store", "gcs", "blob storage", "cloud storage", "bucket"),
    "snapshot": ("snapshot", "snapshots", "data version", "dataset version", "version of the data", "version of the dataset", "commit hash", "hash of the data", "data hash", "tag", "tagged"),
    "reproduce": ("reproduce", "reproducible", "reproducibility", "recreate", "rebuild", "re create", "re run", "rerun", "same model again"),
    "transform-code": (
        "transformation code", "transformation logic", "transformations", "preprocessing code",
        "preprocessing logic", "preprocessing", "feature code", "feature logic",
        "feature engineering", "feature pipeline", "cleaning code", "cleaning scripts",
    ),
    "unit-tests": ("unit tests", "unit test", "integration tests", "integration test", "pytest", "test suite"),
    "data-checks": (
        "data validation", "validate the data", "data checks", "schema checks", "schema check",
        "schema validation", "great expectations", "data quality checks", "data tests",
        "pandera", "tfdv", "check the data", "checks on the data", "validate the input",
    ),
    "orchestrator": (
        "kubeflow", "airflow", "argo", "vertex ai pipelines", "vertex pipelines", "sagemaker pipelines",
        "github actions", "gitlab ci", "jenkins", "prefect", "dagster", "tekton", "circleci",
    ),
    "autoscale": (
        "autoscaling", "autoscale", "auto scaling", "auto scale", "horizontal scaling", "scale horizontally",
        "scale out", "scaling out", "more replicas", "add replicas", "adding replicas", "more pods",
        "more instances", "more nodes", "hpa", "horizontal pod autoscaler", "load balancer",
    ),
    "quantize": (
        "quantization", "quantize", "quantized", "int8", "distillation", "distill", "distilled",
        "smaller model", "pruning", "prune", "onnx", "tensorrt", "fp16", "half precision",
    ),
    "gpu": ("gpu", "gpus", "accelerator", "accelerators", "inferentia", "tpu"),
    "cache": ("cache", "caching", "cached", "redis", "memcached", "in memory cache", "in memory store", "ttl", "time to live"),
    "bottleneck": ("bottleneck", "bottlenecks", "slowest part", "where the time goes", "where time goes", "limiting factor", "choke point"),
    "overload": (
        "rate limit", "rate limiting", "rate limits", "load shedding", "shed load", "shedding",
        "circuit breaker", "graceful degradation", "degrade gracefully", "backpressure", "back pressure",
        "throttle", "throttling",
    ),
    "precompute": (
        "precompute", "precomputed", "precomputing", "pre compute", "ahead of time", "batch job",
        "batch predictions", "nightly batch", "offline batch", "materialize", "materialized",
    ),
    "postmortem": (
        "postmortem", "post mortem", "retrospective", "retro", "incident review", "post incident review",
        "incident report", "write up", "writeup", "rca", "root cause analysis", "after action review",
    ),
    "root-cause": ("root cause", "underlying cause", "real cause", "actual cause", "what caused", "caused by", "culprit", "turned out", "traced it", "traced back"),
}
"""Terms that mean the same: a phrasing that says any form of one hears them all."""

CLASSES: dict[str, tuple[str, ...]] = {
    "drift-statistic": (
        "@psi", "@ks-test", "@divergence", "statistical test", "statistical distance",
        "distance metric", "two sample test", "hypothesis test",
    ),
    "small-share": (
        "small share", "small slice", "small fraction", "small percentage", "small portion",
        "small subset", "small amount", "small group", "few percent", "tiny fraction",
        "tiny slice", "tiny percentage", "#number percent", "fraction", "slice", "subset",
    ),
    "traffic": ("traffic", "requests", "users", "customers", "calls", "queries"),
    "new-model": ("new model", "new version", "candidate", "challenger", "new one", "updated model", "retrained model"),
    "prediction": ("prediction", "predictions", "output", "outputs", "score", "scores", "predicted"),
    "distribution": ("distribution", "distributions", "histogram", "histograms", "mix", "proportion", "share", "fraction", "average"),
    "alert": (
        "alert", "alerts", "alerting", "alarm", "page", "paged", "paging", "pager", "pagerduty",
        "on call", "notify", "notification", "ping", "pinged", "fire", "fires",
    ),
    "threshold": ("threshold", "thresholds", "cutoff", "cut off", "tolerance", "limit", "bound", "above", "exceeds", "crosses"),
    "errors": ("error rate", "errors", "5xx", "500s", "failures", "failed requests", "exceptions", "timeouts"),
    "throughput": ("throughput", "requests per second", "qps", "rps", "queries per second", "load", "volume of requests"),
    "delay": ("delay", "delayed", "lag", "lags", "later", "late", "weeks later", "days later", "arrive", "arrives", "take weeks", "takes weeks", "take days", "takes days"),
    "profile": ("profile", "profiling", "profiler", "load test", "load testing", "benchmark", "benchmarking", "measure", "measuring", "trace", "tracing", "flame graph"),
    "mitigate": (
        "mitigate", "mitigated", "mitigation", "stop the bleeding", "stopped the bleeding", "hotfix",
        "hot fix", "failover", "failed over", "fail over", "feature flag", "kill switch", "restore service",
        "restored service", "@rollback", "disabled", "turned off", "switched off",
    ),
    "i": ("i", "i'd", "i've", "i'll", "myself"),
    "did": (
        "built", "build", "wrote", "write", "added", "add", "set up", "proposed", "propose",
        "suggested", "suggest", "led", "lead", "ran", "run", "investigated", "dug", "dig",
        "checked", "traced", "fixed", "fix", "rolled back", "retrained", "compared", "organized",
        "organised", "reached out", "talked", "asked", "created", "implemented",
        "designed", "pushed", "decided", "took", "drafted", "introduced", "pulled", "paired",
        "scheduled", "booked", "presented", "prepared", "escalated", "coordinated", "volunteered",
        "started", "put together", "split", "broke down", "negotiated", "moved", "migrated",
        "changed", "deployed", "shipped", "automated", "reviewed", "documented", "measured",
        "benchmarked", "tested", "flagged", "raised", "told", "explained", "spent", "sat down",
        "met", "messaged", "pinged", "opened", "went through", "looked into", "made", "cut",
        "wrote up", "rewrote", "refactored", "replaced", "found", "spotted", "noticed", "caught",
        "contacted", "emailed", "set", "declared", "paused", "stopped", "disabled", "reverted",
        "restored", "patched", "convinced", "offered", "gathered", "collected", "ran through",
        "walked", "showed", "sent", "shared", "scoped", "planned", "estimated", "prioritized",
        "prioritised", "descoped", "delegated", "handled", "owned", "apologized", "admitted",
        "owned up", "volunteer", "approached", "invited", "listened", "mapped", "prototyped",
    ),
    "number": (
        "#number",
    ),
    "unit": (
        "percent", "percentage points", "points", "x", "times", "fold", "hours", "hour", "minutes",
        "minute", "seconds", "second", "days", "day", "weeks", "week", "months", "month",
        "milliseconds", "ms", "dollars", "k", "thousand", "million", "users", "customers",
        "requests", "engineers", "teams", "tickets", "incidents", "alerts", "pages", "models",
        "services", "releases", "deploys", "bugs",
    ),
    "measure": (
        "#number percent", "#number x", "#number times", "#number fold", "#number hours",
        "#number hour", "#number minutes", "#number minute", "#number seconds", "#number days",
        "#number day", "#number weeks", "#number week", "#number months", "#number month",
        "#number milliseconds", "#number ms", "#number dollars", "#number points", "#number k",
        "#number thousand", "#number million", "#number users", "#number customers",
        "#number engineers", "#number teams", "#number tickets", "#number incidents",
        "#number alerts", "#number pages", "#number models", "#number services", "#number bugs",
        "an hour", "half an hour", "a day", "half a day", "a week", "a month",
        "halved", "doubled", "tripled", "cut in half", "by half", "half the", "a day early",
        "a week early", "a day late", "a week late", "a fifth", "a tenth", "a third of", "a quarter of",
        "by a third", "by a quarter", "two thirds", "three quarters", "within the hour", "within the day",
        "within the week", "one percent", "one hour",
    ),
    "change": (
        "went from", "dropped", "dropped to", "fell", "fell by", "reduced", "reduce", "reduction", "cut",
        "improved", "improve", "improvement", "increased", "increase", "decreased", "decrease",
        "saved", "save", "recovered", "recover", "back to", "down to", "down from", "up from",
        "faster", "slower", "fewer", "lower", "higher", "lost", "gained", "ahead of schedule",
        "to spare", "shaved", "grew", "it took", "took us", "within", "stayed under", "stayed below",
        "less than", "more than", "under budget", "within budget", "under target", "below target",
        "well under", "under", "added",
    ),
    "added": (
        "added", "add", "new", "set up", "built", "put in", "introduced", "created", "wrote",
        "started", "turned on",
    ),
    "outcome": (
        "in the end", "as a result", "the outcome", "the result", "the results", "ended up",
        "at the end", "eventually", "finally", "afterwards", "after that", "in the end we",
        "result was", "outcome was", "net result", "all in all",
    ),
    "lesson": (
        "i learned", "i've learned", "i learnt", "we learned", "lesson", "lessons", "taught me", "takeaway",
        "take away", "since then", "now i always", "going forward", "next time",
        "in hindsight", "looking back", "do differently", "did differently", "what i took",
        "i took away", "i realized", "made me realize", "i now", "now i", "ever since", "from then on",
        "learned that", "learned to", "the learning", "my learning",
    ),
    "disagree": (
        "disagree", "disagreed", "disagreement", "disagreements", "conflict", "conflicts", "clash",
        "clashed", "argument", "argued", "arguing", "see eye to eye", "butted heads", "butting heads",
        "friction", "at odds", "tension", "tense", "opposed", "different opinions", "different views",
        "strong opinions", "didn't agree", "did not agree", "pushed back on my", "objected", "not aligned",
        "wasn't aligned", "misaligned", "heated",
    ),
    "colleague": (
        "colleague", "colleagues", "coworker", "co worker", "teammate", "team mate", "peer",
        "another engineer", "other engineer", "senior engineer", "staff engineer", "tech lead",
        "data scientist", "product manager", "designer", "engineer on", "backend engineer",
        "frontend engineer", "another team", "other team", "architect", "lead engineer", "manager",
    ),
    "deadline": (
        "deadline", "deadlines", "due date", "launch date", "release date", "go live date", "hard date",
        "fixed date", "had to ship", "had to deliver", "had to be ready", "had to be done",
        "had to launch", "had to be live", "ship by", "ready by", "done by", "live by", "time crunch",
        "tight timeline", "tight schedule", "time pressure", "only two weeks", "only three weeks",
        "only a week", "only ten days", "demo day", "date couldn't move", "date could not move",
        "date was fixed", "no moving it", "couldn't slip", "could not slip", "days to ship",
        "weeks to ship", "days to deliver", "weeks to deliver", "days to launch", "weeks to launch",
        "days to finish", "weeks to finish",
    ),
    "outage": (
        "outage", "went down", "was down", "down for", "incident", "sev1", "sev 1", "sev2", "sev 2",
        "sev one", "sev two", "severity one", "p0", "p1", "broke", "broken", "failing", "failed",
        "error rate", "errors", "500s", "5xx", "degraded",
        "customers couldn't", "users couldn't", "customers could not", "users could not", "timeouts",
        "timing out", "crashed", "crashing", "spiked", "spike",
    ),
}
"""Word classes used as building blocks (``i @did``, ``@change + @measure``): they
widen a phrasing only where it names them with ``@``."""

VOCABULARY: dict[str, tuple[str, ...]] = {**SYNONYMS, **CLASSES}

NUMBER_WORDS = frozenset(
    """two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred hundreds thousand thousands million millions billion dozen dozens couple
    third fourth fifth sixth seventh eighth ninth tenth""".split()
)
"""Words that count as ``#number``. "one" is left out: "one day we got paged" is no measure."""

NEGATORS = frozenset(
    """not no never without didn't don't doesn't wasn't weren't isn't aren't couldn't
    wouldn't shouldn't haven't hasn't hadn't can't cannot won't nobody nothing neither nor
    instead_of rather_than""".split()
)
"""Words that, shortly before a phrase in the same clause or inside it, say it did not happen.

"instead of" and "rather than" are joined into one word before matching."""

MODALS = frozenset("would should could might may must gonna hadto haveto hasto".split())
"""Words that, between the words of a phrase, make it something not done: "I would check"
does not say "I checked", "we had to launch" does not say "we launched"."""

WISHES = frozenset(
    """learned learnt forgot wanted want wish wished hoped hope tried try planned plan meant
    supposed agreed decided promised asked expected intended hoping need needed needs going""".split()
)
"""Words that, followed by "to" between the words of a phrase, make it a wish or a plan:
"I learned to check" does not say "I checked", but "we agreed and shipped" says "we shipped"."""
