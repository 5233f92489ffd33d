#!/bin/bash
# toolchains/rules/run_binary.sh — runs the binary given as the first argument with the rest.
exec "$@"
