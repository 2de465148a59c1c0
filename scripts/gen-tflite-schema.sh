#!/bin/sh
# Regenerates src/engine/formats/tflite/generated/ from the schema Lithe keeps.
# Needs flatc (Debian: apt-get install flatbuffers-compiler; tested with 2.0.8). The output is
# committed, so building and testing Lithe never needs flatc.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/src/engine/formats/tflite"
rm -rf "$dir/generated"
flatc --ts --gen-object-api -o "$dir/generated" "$dir/schema/tflite.fbs"
echo "generated $(find "$dir/generated" -name '*.ts' | wc -l) files with $(flatc --version)"
