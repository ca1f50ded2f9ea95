# tests/automake.mk
