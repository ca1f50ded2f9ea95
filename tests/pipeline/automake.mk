# tests/pipeline/automake.mk
