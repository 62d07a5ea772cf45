# segmentation: a PGXS build.
#
# Every C file under src/ goes into one shared library; the install script
# segmentation--$(EXTVERSION).sql is assembled from src/segmentation.sql and
# each feature's src/<feature>/*.sql.  Files named *_pg.c are server glue; the
# others are pure cores, which the unit tests and fuzzers build without the
# server (test/unit, test/fuzz).
#
# The version is default_version in segmentation.control, read here so that
# there is one place to bump it.  releases/ holds the install script of every
# released version, frozen: they are installed for every version but the
# current one (whose script is built), together with the upgrade scripts
# segmentation--OLD--NEW.sql, so that ALTER EXTENSION segmentation UPDATE
# finds a path from any released version (test/ops/upgrade.sh checks it).
#
# make demo, make test, make bench, make fuzz and make sanitize all start by
# installing what is missing (test/lib/deps.sh), so they work on a fresh machine.

EXTENSION = segmentation
EXTVERSION := $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(EXTENSION).control)
ifeq ($(EXTVERSION),)
$(error no default_version in $(EXTENSION).control)
endif

MODULE_big = segmentation
SRCS = $(sort $(wildcard src/*.c src/*/*.c))
OBJS = $(SRCS:.c=.o)
CORE_SRCS = $(filter-out src/segmentation.c %_pg.c,$(SRCS))

SQL_PARTS = src/segmentation.sql $(sort $(wildcard src/*/*.sql))
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA = $(filter-out releases/$(DATA_built),$(wildcard releases/$(EXTENSION)--*.sql)) \
	$(filter-out $(DATA_built),$(wildcard $(EXTENSION)--*--*.sql))
EXTRA_CLEAN = $(DATA_built) test/unit/bin results regression.diffs regression.out

REGRESS = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=. --load-extension=$(EXTENSION)

PG_CPPFLAGS = -Isrc -Isrc/core
# -lm: the library's references to exp, log, log1p, lgamma then bind to
# libm's current symbol versions, not to the oldest ones (glibc's
# compatibility wrappers, an extra call per evaluation); same results.
SHLIB_LINK = $(shell pkg-config --libs icu-uc icu-i18n 2>/dev/null) -lm

# Warnings as errors for make test (WERROR=1); -Wextra as pgvector's CI does,
# less the two that PostgreSQL's own headers and fmgr conventions trigger.
ifeq ($(WERROR),1)
PG_CFLAGS += -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	-Wno-sign-compare -Werror -DUSE_ASSERT_CHECKING
endif

# make sanitize builds the library with AddressSanitizer and
# UndefinedBehaviorSanitizer (SANITIZE=1).  The library then needs libasan
# preloaded into the server, which test/sanitize/run.sh arranges.
ifeq ($(SANITIZE),1)
PG_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
SHLIB_LINK += -fsanitize=address,undefined
endif

# JIT bitcode needs clang; without it, build the library alone.
ifeq ($(shell command -v clang 2>/dev/null),)
with_llvm = no
endif

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS)
	cat $^ > $@

.PHONY: deps demo test unit bench fuzz sanitize

deps:
	@bash test/lib/deps.sh

demo: deps
	@$(MAKE) -s all
	@$(MAKE) -s install >/dev/null
	@bash test/demo/demo.sh

test: deps
	@$(MAKE) -s clean >/dev/null
	@$(MAKE) -s all WERROR=1
	@bash test/run.sh

unit:
	@bash test/unit/run.sh

bench: deps
	@$(MAKE) -s all
	@bash test/bench/bench.sh

fuzz: deps
	@bash test/fuzz/fuzz.sh

sanitize: deps
	@bash test/sanitize/run.sh
