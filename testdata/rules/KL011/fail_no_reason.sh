#!/bin/sh
# kubeadm-lint:ignore KL206 # want KL011 "ignore of KL206 gives no reason"
kubeadm init --apiserver-extra-args "enable-admission-plugins=LimitRanger,NamespaceExists"
