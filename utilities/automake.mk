# utilities/automake.mk
