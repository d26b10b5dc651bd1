# Two commands for a fresh machine; see README.md.
.PHONY: serve test

serve:
	@scripts/dev.sh serve

test:
	@scripts/dev.sh test
