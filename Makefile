# licet - build, test, run.  `make run` and `make test` are the README's
# two commands; everything else is a helper for them.
#
# Objects go to $(B) (build/ by default).  `make test` builds and runs the
# suite twice: once plain (build/) and once under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/).

CC      ?= cc
B       ?= build
SAN     ?= 0
PKGS    := libfyaml jansson libsodium libcrypto libical xlsxwriter sqlite3 libpq libmicrohttpd
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla
OPT     ?= -O2 -g
ifeq ($(SAN),1)
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  := $(CSTD) $(WARN) $(OPT) -Iinclude -Ilib $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDFLAGS := $(OPT) $(EXTRA_LDFLAGS)
LIBS    = $(PKG_LIBS)

LIB_SRC  := $(wildcard lib/*.c)
CLI_SRC  := $(wildcard cli/*.c) $(wildcard server/*.c)
ASSETS   := $(sort $(wildcard server/assets/*)) docs/openapi.json
TEST_SRC := $(wildcard tests/unit/test_*.c)
CAL_DATA := $(sort $(wildcard data/calendars/*.txt))

LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/calendars.o
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/%.o) $(B)/gen/assets.o
TESTS    := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all deps run test test-plain test-asan check-cases check-store-pg unit fuzz bench clean

all: $(B)/licet

deps:
	@sh scripts/install-deps.sh

# The main job: check every example, then show each as a term sheet.
run: deps
	@$(MAKE) --no-print-directory all
	@echo "== licet check examples/*.yaml"
	@./$(B)/licet check examples/*.yaml
	@for f in examples/*.yaml; do echo; echo "== licet show $$f"; ./$(B)/licet show $$f; done
	@rm -f $(B)/run.db $(B)/run.db-wal $(B)/run.db-shm
	@echo; echo "== a portfolio in the embedded SQLite store ($(B)/run.db)"
	@./$(B)/licet init --db $(B)/run.db
	@for f in examples/*.yaml; do ./$(B)/licet add --db $(B)/run.db $$f | tail -1; done
	@./$(B)/licet record --db $(B)/run.db --agreement UNIX-BETA-2025-01 tests/calendar/events.yaml
	@./$(B)/licet import-sales --db $(B)/run.db --agreement UNIX-BETA-2025-01 --period 2027-Q3 \
		--date 2027-10-20 examples/sales/unix-beta-2027-Q3.csv
	@./$(B)/licet list --db $(B)/run.db
	@echo; echo "== licet status UNIX-BETA-2025-01 --as-of 2027-12-31"
	@./$(B)/licet status --db $(B)/run.db UNIX-BETA-2025-01 --as-of 2027-12-31
	@echo; echo "== licet royalties UNIX-BETA-2025-01 --period 2027-Q3"
	@./$(B)/licet royalties --db $(B)/run.db UNIX-BETA-2025-01 --period 2027-Q3
	@./$(B)/licet verify --db $(B)/run.db
	@echo; echo "== licet serve (the dashboard and the licensee portal; Ctrl-C stops it)"
	@sh scripts/run-server.sh ./$(B)/licet $(B)/run.db

test: deps
	@$(MAKE) --no-print-directory test-plain
	@$(MAKE) --no-print-directory test-asan
	@echo "make test: all suites passed (plain and ASan+UBSan)"

test-plain:
	@$(MAKE) --no-print-directory B=build unit check-cases

# libfyaml's own leaks are suppressed (tests/lsan.supp says which and why).
test-asan:
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    $(MAKE) --no-print-directory B=build-asan SAN=1 unit check-cases

unit: $(TESTS)
	@sh tests/run-unit.sh $(TESTS)

check-cases: $(B)/licet
	@sh tests/check/run.sh $(B)/licet
	@sh tests/status/run.sh $(CURDIR)/$(B)/licet
	@sh tests/status/run.sh $(CURDIR)/$(B)/licet royalties
	@sh tests/royalties/outputs.sh $(CURDIR)/$(B)/licet
	@sh tests/calendar/run.sh $(B)/licet
	@sh tests/conflicts/run.sh $(CURDIR)/$(B)/licet
	@sh tests/store/run.sh $(CURDIR)/$(B)/licet
	@sh tests/store/users.sh $(CURDIR)/$(B)/licet
	@sh tests/server/run.sh $(CURDIR)/$(B)/licet
	@sh tests/server/hardening.sh $(CURDIR)/$(B)/licet
	@if [ "$(SAN)" != 1 ] || [ "$(PG_ASAN)" = 1 ]; then $(MAKE) --no-print-directory check-store-pg; \
	else echo "store and server suites on PostgreSQL: plain build only (PG_ASAN=1 runs them under ASan too)"; fi
	@if [ "$(SAN)" != 1 ] || [ "$(E2E_ASAN)" = 1 ]; then sh tests/e2e/run.sh $(CURDIR)/$(B)/licet; \
	else echo "browser test: plain build only (E2E_ASAN=1 runs it under ASan too)"; fi

# The store and server suites again on a throw-away PostgreSQL 15
# (scripts/pg-test.sh installs, starts and removes it), with two servers
# sharing sessions through it.  CONC_SECONDS: the length
# of the two-writer test (default 30).
check-store-pg: $(B)/licet
	@sh scripts/pg-test.sh sh -c 'sh tests/store/run.sh "$$1" "$$LICET_PG_URL" && \
	    sh tests/store/users.sh "$$1" "$$LICET_PG_URL" && \
	    sh tests/server/run.sh "$$1" "$$LICET_PG_URL" && \
	    sh tests/server/shared-sessions.sh "$$1" "$$LICET_PG_URL" && \
	    sh tests/store/roundtrip.sh "$$1" "$$LICET_PG_URL"' sh $(CURDIR)/$(B)/licet

$(B)/liblicet.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/licet: $(CLI_OBJ) $(B)/liblicet.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(B)/liblicet.a $(LIBS) -lpthread

$(B)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(B)/liblicet.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(B)/liblicet.a $(LIBS) -lcmocka

$(B)/gen/calendars.c: $(CAL_DATA) scripts/embed-calendars.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-calendars.sh $(CAL_DATA) > $@

$(B)/gen/assets.c: $(ASSETS) scripts/embed-assets.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-assets.sh $(ASSETS) > $@

$(B)/gen/assets.o: $(B)/gen/assets.c
	$(CC) $(CFLAGS) -Iserver -c -o $@ $<

$(B)/gen/calendars.o: $(B)/gen/calendars.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# libFuzzer targets (clang).  FUZZ_SECONDS bounds each run.
FUZZ_SECONDS ?= 60
fuzz: deps
	@sh fuzz/run.sh $(FUZZ_SECONDS)

bench: all
	@sh bench/run.sh $(B)/licet

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(B) -name '*.d' 2>/dev/null)
