#!/bin/sh
set -e
kubeadm init --config /etc/kubeadm/kubeadm.yaml
kubeadm init --apiserver-extra-args "audit-log-maxage=30,audit-log-maxbackup=3"
echo "--apiserver-extra-args enable-admission-plugins=A,B is only text here"
