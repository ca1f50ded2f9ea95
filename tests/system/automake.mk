# tests/system/automake.mk
