#!/bin/sh
# Tool slot the hiillos toolchains do not provide.
echo "hiillos toolchain: $(basename "$0") is not provided" >&2
exit 1
