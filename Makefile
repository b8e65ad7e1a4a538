# tas: Team Around the School.  Plain make; pkg-config finds the libraries.
#   make run    install what is missing, build, create a demo database, serve
#   make test   install what is missing, build (gcc; clang with ASan+UBSan), run every test
#   make fuzz   build the fuzzers (fuzz/) and run each for FUZZ_SECONDS (20)
#   make bench-load   the load benchmark (bench/load.sh; installs wrk, nginx-light)
#   make        just build build/release/tas

PKGS      := libmicrohttpd jansson libsodium sqlite3 xlsxwriter libcurl libxml-2.0
# PostgreSQL (src/store/store_pg.c) when pkg-config finds libpq; without it
# the build is SQLite only and a postgresql:// database is refused.
ifeq ($(shell pkg-config --exists libpq 2>/dev/null && echo yes),yes)
  PKGS    += libpq
  PG_DEFS := -DTAS_HAVE_LIBPQ
endif

# A Node.js 20 that scripts/install-deps.sh put in build/node (when the
# system's is older, as Debian 12's 18 is) is used by sass and the tests.
export PATH := $(CURDIR)/build/node/node_modules/.bin:$(PATH)
MODE      ?= release
BUILD     := build/$(MODE)
GENDIR    := $(BUILD)/gen
CC        ?= cc
DB        ?= tas.db
LISTEN    ?= 127.0.0.1:8080

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
        -Wmissing-prototypes -Wpointer-arith -Wvla -Wundef -Wcast-qual \
        -Wnull-dereference
STD  := -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE

ifeq ($(MODE),asan)
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
  LDOPT := -fsanitize=address,undefined
else ifeq ($(MODE),debug)
  OPT := -O0 -g
  LDOPT :=
else
  OPT := -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong
  LDOPT := -Wl,-z,relro,-z,now
endif

CFLAGS  ?=
CFLAGS  += $(STD) $(WARN) $(OPT) $(PG_DEFS) -Isrc -I$(GENDIR) $(PKG_CFLAGS) -MMD -MP
LDLIBS  += $(PKG_LIBS) -lpthread -lm

LIB_SRC := $(wildcard src/lib/*.c src/core/*.c src/store/*.c src/service/*.c src/web/*.c src/cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(GENDIR)/embedded.o

# Files compiled into the binary, so one executable carries its templates,
# migrations, stylesheet and screening toolkits (nothing to lose on deployment).
TEMPLATES  := $(sort $(wildcard templates/*.html templates/*/*.html))
MIGRATIONS := $(sort $(wildcard src/store/migrations/*/*.sql))
CSS        := build/assets/tas.css
BLOCKLIST  := build/assets/passwords.txt
TOOLKITS   := $(sort $(wildcard toolkits/*.tk))
MAIL_TMPL  := $(sort $(wildcard templates/email/*.txt))
# GOV.UK Frontend's own JavaScript (the menu button on phones) and the
# module that starts it, served from /assets (h_static.c).
JS         := node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js assets/js/tas-init.js
# The JSON API's description, served at /api/v1/openapi.json (docs/api.md).
OPENAPI    := docs/openapi.json
EMBED      := $(TEMPLATES) $(MIGRATIONS) $(CSS) $(BLOCKLIST) $(TOOLKITS) $(MAIL_TMPL) $(JS) $(OPENAPI)

UNIT_SRC  := $(wildcard tests/lib/test_*.c tests/core/test_*.c tests/store/test_*.c tests/web/test_*.c tests/service/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/%.c=$(BUILD)/tests/%)

BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(BENCH_SRC:%.c=$(BUILD)/%)

.PHONY: all build run test deps css clean unit bench fuzz fuzz-build bench-load
all build: $(BUILD)/tas

$(BUILD)/tas: $(BUILD)/src/main.o $(LIB_OBJ)
	@echo "  LINK    $@"
	@$(CC) $(LDOPT) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -std=c17 -O1 -Wall -Wextra -Werror -o $@ $<

$(GENDIR)/embedded.c: build/tools/embed $(EMBED)
	@mkdir -p $(@D)
	@build/tools/embed $(EMBED) > $@.tmp && mv $@.tmp $@

$(GENDIR)/embedded.o: $(GENDIR)/embedded.c
	@$(CC) $(STD) -O1 -Isrc -c -o $@ $<

# The stylesheet: govuk-frontend compiled with our settings (system fonts,
# no crown) by the sass npm package.
$(CSS): $(wildcard assets/scss/*.scss) package-lock.json
	@mkdir -p $(@D)
	node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules assets/scss/tas.scss $@

css: $(CSS)

# The password block-list: common and breached passwords from an npm
# package, sorted for binary search (tools/blocklist.mjs).
$(BLOCKLIST): tools/blocklist.mjs package-lock.json
	@mkdir -p $(@D)
	node tools/blocklist.mjs node_modules/@zxcvbn-ts/language-common/src/passwords.json $@

$(BUILD)/tests/%: tests/%.c $(LIB_OBJ)
	@mkdir -p $(@D)
	@echo "  TEST    $<"
	@$(CC) $(CFLAGS) $(LDOPT) -o $@ $< $(LIB_OBJ) $(LDLIBS) $$(pkg-config --libs cmocka)

unit: $(UNIT_BIN)

$(BUILD)/bench/%: bench/%.c $(LIB_OBJ)
	@mkdir -p $(@D)
	@echo "  BENCH   $<"
	@$(CC) $(CFLAGS) $(LDOPT) -o $@ $< $(LIB_OBJ) $(LDLIBS)

bench: $(BENCH_BIN)

deps:
	@scripts/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory MODE=release build/release/tas
	@test -f $(DB) || build/release/tas demo --db $(DB)
	@echo "tas: open http://$(LISTEN)/ and sign in as coordinator (or admin, head, ...) with password demo-password"
	@build/release/tas serve --db $(DB) --listen $(LISTEN)

test: deps
	@$(MAKE) --no-print-directory MODE=release build/release/tas unit bench
	@# The sanitised build uses clang, so every test run compiles with both compilers.
	@$(MAKE) --no-print-directory MODE=asan CC=clang build/asan/tas unit
	@# The fuzzers run a few seconds each over their corpora as tests.
	@$(MAKE) --no-print-directory fuzz-build
	@scripts/run-tests.sh

# Fuzzers (fuzz/, libFuzzer): clang with ASan and UBSan, in build/fuzz.  Only
# what they reach is compiled: src/lib, src/core, and the request decoder and
# template engine of src/web.  `make fuzz` builds them and runs each for
# FUZZ_SECONDS over a copy of its corpus (fuzz/run.sh); a crash fails it.
FUZZ_BUILD   := build/fuzz
FUZZ_SECONDS ?= 20
FUZZ_SRC     := $(wildcard src/lib/*.c src/core/*.c) src/web/request.c src/web/tmpl.c
FUZZ_OBJ     := $(FUZZ_SRC:%.c=$(FUZZ_BUILD)/%.o) $(FUZZ_BUILD)/gen/embedded.o
FUZZ_BIN     := $(patsubst fuzz/%.c,$(FUZZ_BUILD)/%,$(wildcard fuzz/fuzz_*.c))
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
# A template render's step budget a tenth of the server's, so that the
# worst inputs the fuzzer builds (nested sections) stay well under its
# per-input time limit with ASan; the budget's logic is the same.
FUZZ_CFLAGS  := $(STD) $(WARN) -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) \
                -fsanitize=fuzzer-no-link -Isrc $(PKG_CFLAGS) -MMD -MP -DTMPL_MAX_STEPS=200000

$(FUZZ_BUILD)/src/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC      $< (fuzz)"
	@clang $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/gen/embedded.c: build/tools/embed $(EMBED)
	@mkdir -p $(@D)
	@build/tools/embed $(EMBED) > $@.tmp && mv $@.tmp $@

$(FUZZ_BUILD)/gen/embedded.o: $(FUZZ_BUILD)/gen/embedded.c
	@clang $(STD) -O1 -Isrc -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_OBJ)
	@mkdir -p $(@D)
	@echo "  FUZZ    $<"
	@clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS) -lpthread -lm

# Kept after linking, so a second build compiles nothing.
.SECONDARY: $(FUZZ_OBJ) $(FUZZ_BUILD)/gen/embedded.c

fuzz-build: $(FUZZ_BIN)

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

# The load benchmark (bench/load.sh): wrk against tas serve and against nginx
# serving the same bytes, on loopback.  Not a test; installs wrk and nginx-light.
bench-load:
	@scripts/install-deps.sh --bench
	@$(MAKE) --no-print-directory MODE=release build/release/tas
	@bench/load.sh build/release/tas

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
