# controller/automake.mk
