#!/bin/sh
# The ignore covers the whole command, continuation lines included.
# kubeadm-lint:ignore KL206 the old installer, replaced in 2.0
kubeadm init \
  --apiserver-extra-args "enable-admission-plugins=LimitRanger,NamespaceExists"
