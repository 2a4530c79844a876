#!/bin/sh
# kubeadm-lint:ignore KL206 kept to show the guide's mistake; the finding is suppressed
kubeadm init \
  --apiserver-extra-args "enable-admission-plugins=LimitRanger,NamespaceExists"
kubeadm join 192.168.10.11:6443 --controller-manager-extra-args 'x=1,2'
