# yiwang — build, run, test, bench.
#
#   make run     install what is missing, build, migrate, serve http://127.0.0.1:$(PORT)
#   make test    install what is missing, build, run every suite (unit, fuzz, crash, API, browser)
#   make bench   the figures in bench/RESULTS.md
#
# Builds go to $(O) (default build/): the server at $(O)/yiwang, the sanitizer build that the
# tests run at $(O)/asan/, the libFuzzer targets at $(O)/fuzz/, generated C at $(O)/gen/.

O        ?= build
PORT     ?= 8080
DB       ?= sqlite
DATA     ?= ./var
# The demo on loopback has no SMS gateway: its sandbox inbox (/sandbox/sms) shows the codes.
RUN_FLAGS ?= --sandbox
CC       ?= gcc
FUZZCC   ?= clang-14

WARN     := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes
CPPFLAGS := -D_GNU_SOURCE -Isrc -I$(O)/gen $(shell pkg-config --cflags libpq pangocairo 2>/dev/null)
CFLAGS   ?= -O2 -g
LIBS     := -lmicrohttpd -ljansson -lsqlite3 -lpq -lcrypto -lsodium -lqrencode -lxlsxwriter -lzip -lexpat -lopencc \
            $(shell pkg-config --libs pangocairo fontconfig 2>/dev/null) -lcairo -lcurl -lpthread -lm
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# Every .c under src/<module>/ is part of the server; src/main.c is only the command line.
SRCS     := $(sort $(wildcard src/*/*.c))
GEN_SRCS := $(O)/gen/divisions.c $(O)/gen/calendar.c $(O)/gen/migrations.c $(O)/gen/passwords.c $(O)/gen/demo.c \
            $(O)/gen/pinyin.c
OBJS     := $(SRCS:src/%.c=$(O)/obj/%.o) $(GEN_SRCS:$(O)/gen/%.c=$(O)/obj/gen/%.o)
AOBJS    := $(SRCS:src/%.c=$(O)/asan/obj/%.o) $(GEN_SRCS:$(O)/gen/%.c=$(O)/asan/obj/gen/%.o)
HDRS     := $(wildcard src/*/*.h src/*/*.def)

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/asan/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(O)/fuzz/%)
CRASH_SRCS := $(sort $(wildcard tests/crash/*.c))
CRASH_BINS := $(CRASH_SRCS:tests/crash/%.c=$(O)/asan/crash_%)

NODE_DEPS := node_modules/.package-lock.json

.PHONY: all deps build web run test unit fuzz-build fuzz bench clean docs
# Objects and generated sources reached through pattern chains are kept, not deleted as
# intermediates, so a second `make` rebuilds nothing.
.SECONDARY:
all: build

deps:
	@scripts/install-deps.sh

build: $(O)/yiwang $(O)/asan/yiwang $(UNIT_BINS) $(CRASH_BINS) web

# ---- the server ------------------------------------------------------------------------------
$(O)/yiwang: $(O)/obj/main.o $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(O)/asan/yiwang: $(O)/asan/obj/main.o $(AOBJS)
	$(CC) -O1 -g $(SANITIZE) -o $@ $^ $(LIBS)

$(O)/obj/%.o: src/%.c $(HDRS) $(GEN_SRCS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -std=gnu11 -c -o $@ $<

$(O)/asan/obj/%.o: src/%.c $(HDRS) $(GEN_SRCS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -O1 -g $(SANITIZE) $(WARN) -std=gnu11 -c -o $@ $<

# Generated tables are data, not code to lint: compiled without -Werror's extra warnings.
$(O)/obj/gen/%.o: $(O)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -O1 -std=gnu11 -c -o $@ $<

$(O)/asan/obj/gen/%.o: $(O)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -O1 -std=gnu11 -c -o $@ $<

# ---- reference data and migrations, generated at build time ------------------------------------
$(NODE_DEPS): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(O)/gen/divisions.c: scripts/gen-divisions.mjs $(NODE_DEPS)
	@mkdir -p $(dir $@)
	node scripts/gen-divisions.mjs > $@.tmp && mv $@.tmp $@

$(O)/gen/calendar.c: scripts/gen-calendar.mjs $(NODE_DEPS)
	@mkdir -p $(dir $@)
	node scripts/gen-calendar.mjs > $@.tmp && mv $@.tmp $@

$(O)/gen/passwords.c: scripts/gen-passwords.mjs $(NODE_DEPS)
	@mkdir -p $(dir $@)
	node scripts/gen-passwords.mjs > $@.tmp && mv $@.tmp $@

$(O)/gen/pinyin.c: scripts/gen-pinyin.mjs $(NODE_DEPS)
	@mkdir -p $(dir $@)
	node scripts/gen-pinyin.mjs > $@.tmp && mv $@.tmp $@

# The demo region (yiwang demo): data/demo/*.json, written by scripts/make-demo-data.mjs.
$(O)/gen/demo.c: scripts/gen-demo.mjs $(wildcard data/demo/*.json)
	@mkdir -p $(dir $@)
	node scripts/gen-demo.mjs data/demo > $@.tmp && mv $@.tmp $@

$(O)/gen/migrations.c: scripts/gen-migrations.mjs $(wildcard src/store/schema/*.sql)
	@mkdir -p $(dir $@)
	node scripts/gen-migrations.mjs src/store/schema > $@.tmp && mv $@.tmp $@

# ---- tests -------------------------------------------------------------------------------------
$(O)/asan/test_%: tests/unit/test_%.c $(AOBJS)
	$(CC) $(CPPFLAGS) -O1 -g $(SANITIZE) $(WARN) -std=gnu11 -o $@ $^ $(LIBS) -lcmocka

$(O)/asan/crash_%: tests/crash/%.c $(AOBJS)
	$(CC) $(CPPFLAGS) -O1 -g $(SANITIZE) $(WARN) -std=gnu11 -o $@ $^ $(LIBS)

# libFuzzer needs clang; the server's sources are compiled again with coverage instrumentation.
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
FUZZ_OBJS  := $(SRCS:src/%.c=$(O)/fuzz/obj/%.o) $(GEN_SRCS:$(O)/gen/%.c=$(O)/fuzz/obj/gen/%.o)
$(O)/fuzz/obj/%.o: src/%.c $(HDRS) $(GEN_SRCS)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(CPPFLAGS) $(FUZZ_FLAGS) -std=gnu11 -c -o $@ $<
$(O)/fuzz/obj/gen/%.o: $(O)/gen/%.c
	@mkdir -p $(dir $@)
	$(FUZZCC) $(CPPFLAGS) -O1 -std=gnu11 -c -o $@ $<
$(O)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	$(FUZZCC) $(CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -std=gnu11 -o $@ $^ $(LIBS)
fuzz-build: $(FUZZ_BINS)

# ---- the web app -------------------------------------------------------------------------------
WEB_SRCS := $(shell find web/src web/index.html web/vite.config.* -type f 2>/dev/null)
web: web/dist/index.html
web/dist/index.html: $(WEB_SRCS) web/package-lock.json
	cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } && npx vite build --logLevel warn && node scripts/precompress.mjs dist

# ---- the two commands --------------------------------------------------------------------------
# The first start with a data folder seeds the demo region 宿州市 (scripts/run-demo.sh).
run: deps
	@$(MAKE) --no-print-directory $(O)/yiwang web
	@scripts/run-demo.sh $(O) $(DATA) '$(DB)' $(PORT) $(RUN_FLAGS)

test: deps
	@$(MAKE) --no-print-directory build fuzz-build
	@scripts/test.sh $(O)

fuzz: fuzz-build
	@for f in $(FUZZ_BINS); do mkdir -p $(O)/fuzz/corpus/$$(basename $$f); \
	  $$f -max_total_time=$${FUZZ_SECONDS:-600} -print_final_stats=1 $(O)/fuzz/corpus/$$(basename $$f) tests/fuzz/seeds/$$(basename $$f) || exit 1; done

bench: deps
	@$(MAKE) --no-print-directory $(O)/yiwang $(O)/bench_sqlite_fsync $(O)/bench_store_write \
	  $(O)/bench_password_verify web
	@bench/run.sh $(O)

clean:
	rm -rf $(O) web/dist

# The roles and actions tables of docs/identity.md, from src/identity/roles.def
# (tests/api/roles-doc.test.mjs fails while they differ).
docs:
	node scripts/gen-roles-doc.mjs

# ---- bench programs
# The write ceiling (raw SQLite, one fsync per insert) and the store's group commit, read by
# bench/run.sh as a ratio.
$(O)/bench_sqlite_fsync: bench/sqlite_fsync.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -std=gnu11 -o $@ $< -lsqlite3

$(O)/bench_password_verify: bench/password_verify.c $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -std=gnu11 -o $@ $^ $(LIBS)

$(O)/bench_store_write: bench/store_write.c $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -std=gnu11 -o $@ $^ $(LIBS)

# 100,000 synthetic published items, index included, for the search figure.
