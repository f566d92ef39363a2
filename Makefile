# SmartAP Desktop — build, test and check. GNU make; Debian 12 / Ubuntu 22.04+.
# `make` alone lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

GO ?= go
TOOLS := $(CURDIR)/.tools/bin

# Tool versions: each is built from source with `go install` into .tools/bin.
WAILS_PKG       := github.com/wailsapp/wails/v2/cmd/wails@v2.16.0
STATICCHECK_PKG := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOSEC_PKG       := github.com/securego/gosec/v2/cmd/gosec@v2.30.0
GITLEAKS_PKG    := github.com/zricethezav/gitleaks/v8@v8.30.1

# ",webkit2_41" where only WebKitGTK 4.1 exists (Ubuntu 24.04+, Debian 13+). Recursive (=) on
# purpose: evaluated when a recipe runs, i.e. after `deps` may have installed WebKitGTK.
comma := ,
WEBKIT_TAG = $(addprefix $(comma),$(shell scripts/webkit-tags.sh))
# "ocr" compiles in Tesseract OCR (backend/ocr, cgo against libtesseract-dev, which `deps` installs);
# without it ocr.New reports that OCR is not part of the build. Binaries built with it need
# libtesseract at run time. Not for the Windows cross-build.
GO_TAGS := ocr
DESKTOP_TAGS = desktop,production,$(GO_TAGS)$(WEBKIT_TAG)

# Findings are printed (redacted) so that a failing CI log says what and where.
GITLEAKS_FLAGS = --no-banner --redact --verbose --config .gitleaks.toml $(if $(CI),--no-color)

.PHONY: help deps deps-test frontend build run wails-cli bindings test test-frontend test-go \
	smoke fuzz fuzz-short screenshots lint lint-tools vet staticcheck gosec gitleaks bench clean

help: ## List the targets
	@echo "SmartAP Desktop — make targets:"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

deps: ## Install missing system packages for building (apt; sudo when not root)
	@scripts/deps.sh base

deps-test: ## Install missing system packages for building and testing
	@scripts/deps.sh test

# npm ci only when node_modules is missing or package-lock.json is newer than npm's record of the
# last install (node_modules/.package-lock.json). node_modules/go.mod keeps Go's ./... patterns
# out of node_modules (some npm packages ship .go files).
NPM_CI = cd frontend && npm ci --no-audit --no-fund
NODE_MODULES_GOMOD = [ -f frontend/node_modules/go.mod ] || \
	printf 'module smartap.invalid/node_modules\n' > frontend/node_modules/go.mod

frontend: ## Build the web UI into frontend/dist (npm ci when needed, npm run build)
	@scripts/check-node.sh
	@if [ ! -d frontend/node_modules ] || \
	    [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then \
		echo "$(NPM_CI)"; ($(NPM_CI)); \
	fi
	@$(NODE_MODULES_GOMOD)
	cd frontend && npm run build

# Go code embeds frontend/dist: build it once when it is missing.
frontend/dist:
	@$(MAKE) frontend

build: frontend ## Build the desktop app, the CLI and the sync server into build/bin
	$(GO) build -tags $(DESKTOP_TAGS) -ldflags "-w -s" -o build/bin/smartap-desktop .
	$(GO) build -tags $(GO_TAGS) -o build/bin/smartap ./cmd/smartap
	$(GO) build -o build/bin/smartap-sync ./cmd/smartap-sync

run: ## Install missing packages, build, and start the desktop app
	@$(MAKE) deps
	@$(MAKE) build
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		echo "run: no display (DISPLAY/WAYLAND_DISPLAY unset); start it under a desktop session or Xvfb" >&2; \
		exit 1; \
	fi
	./build/bin/smartap-desktop

wails-cli: ## Install the Wails CLI (exact version) into .tools/bin
	@scripts/tool.sh $(WAILS_PKG) >/dev/null

bindings: wails-cli frontend/dist ## Regenerate the JS bindings in frontend/wailsjs (wails generate module)
	$(TOOLS)/wails generate module -nocolour $(if $(WEBKIT_TAG),-tags webkit2_41)

test: ## Everything CI runs: deps, frontend checks and tests, Go tests, desktop smoke test, lint
	@$(MAKE) deps-test
	@$(MAKE) test-frontend
	@$(MAKE) build
	@$(MAKE) test-go
	@$(MAKE) fuzz-short
	@$(MAKE) smoke
	@$(MAKE) e2e
	@$(MAKE) lint

test-frontend: ## Frontend: npm ci, type/lint check, unit tests
	@scripts/check-node.sh
	$(NPM_CI)
	@$(NODE_MODULES_GOMOD)
	cd frontend && npm run check && npm test

test-go: | frontend/dist ## Go tests only (race detector, real keyring in a private D-Bus session, private PostgreSQL cluster)
	scripts/with-postgres.sh scripts/with-keyring.sh $(GO) test -race -count=1 -tags $(GO_TAGS) ./...

fuzz: | frontend/dist ## Run every Go fuzz target for 60 s (make fuzz FUZZTIME=300s for longer)
	scripts/fuzz.sh $(or $(FUZZTIME),60s)

fuzz-short: | frontend/dist ## Run every Go fuzz target on 3,000 generated inputs (part of make test)
	scripts/fuzz.sh 3000x

smoke: ## Start the production build under Xvfb and check its first screen
	scripts/smoke-desktop.sh

# E2E_TAGS: the Go tags of the dev-mode app under test (scripts/e2e.sh adds dev and webkit2_41).
.PHONY: e2e package bench-desktop
e2e: ## End-to-end tests: headless Chromium against the dev-mode app under Xvfb (docs/screenshots/)
	E2E_TAGS=$(GO_TAGS) scripts/e2e.sh

package: ## Release binaries into build/package/: Linux (WebKitGTK 4.0/4.1) and Windows .exe (mingw-w64)
	@scripts/deps.sh package
	scripts/package.sh

bench-desktop: ## Start-up time and memory (PSS) with 10,000 invoices vs a bare Wails app; bench/results/desktop.md
	scripts/bench-desktop.sh

screenshots: build ## Write docs/screenshots/first-run.png (needs deps-test)
	scripts/smoke-desktop.sh --save docs/screenshots/first-run.png

lint: | frontend/dist ## go vet, staticcheck, gosec, gitleaks (history and tree)
	@$(MAKE) vet
	@$(MAKE) staticcheck
	@$(MAKE) gosec
	@$(MAKE) gitleaks

lint-tools: ## Install staticcheck, gosec and gitleaks into .tools/bin (when missing)
	@scripts/tool.sh $(STATICCHECK_PKG) >/dev/null
	@scripts/tool.sh $(GOSEC_PKG) >/dev/null
	@scripts/tool.sh $(GITLEAKS_PKG) >/dev/null

vet: | frontend/dist ## go vet only
	$(GO) vet -tags $(GO_TAGS) ./...

staticcheck: | frontend/dist ## staticcheck only
	@scripts/tool.sh $(STATICCHECK_PKG) >/dev/null
	$(TOOLS)/staticcheck -tags $(GO_TAGS) ./...

gosec: | frontend/dist ## gosec only
	@scripts/tool.sh $(GOSEC_PKG) >/dev/null
	@# The packages that `go list ./...` sees: gosec's own ./... walk also enters _folders and testdata.
	dirs=$$($(GO) list -tags $(GO_TAGS) -f '{{.Dir}}' ./...); \
	$(TOOLS)/gosec -quiet -tags $(GO_TAGS) -exclude-generated -exclude-dir=frontend/node_modules $(if $(CI),-color=false) $$dirs

gitleaks: ## gitleaks only: git history, then the working tree
	@scripts/tool.sh $(GITLEAKS_PKG) >/dev/null
	$(TOOLS)/gitleaks git $(GITLEAKS_FLAGS) --platform none .
	$(TOOLS)/gitleaks dir $(GITLEAKS_FLAGS) .

bench: | frontend/dist ## Run the Go benchmarks; results in bench/results/bench.txt
	scripts/bench.sh -tags $(GO_TAGS)

.PHONY: bench-extract bench-store
bench-extract: ## Reading benchmarks (full sizes, ~5 min); results in bench/results/extract.md
	scripts/bench-extract.sh -tags $(GO_TAGS)

bench-store: ## Sealed-store benchmarks (100,000 invoices, ~3 min); results in bench/results/store.md
	scripts/bench-store.sh -tags $(GO_TAGS)

.PHONY: bench-sync
bench-sync: ## Sync server benchmarks, SQLite and PostgreSQL (100,000 invoices); results in bench/results/sync.md
	scripts/with-postgres.sh scripts/bench-sync.sh -tags $(GO_TAGS)

clean: ## Remove build output (build/bin, frontend/dist, smoke screenshots); keeps .tools and node_modules
	rm -rf build/bin frontend/dist
	rm -f build/smoke/*.png build/smoke/*.log
