#!/bin/sh
# kubeadm-lint:ignore KL206 the flag was fixed since # want KL013 "ignore of KL206 suppresses nothing"
kubeadm init --config kubeadm.yaml
