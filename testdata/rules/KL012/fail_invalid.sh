#!/bin/sh
kubeadm init --config kubeadm.yaml # kubeadm-lint:ignore KL999 no such rule # want KL012 "unknown rule \"KL999\""
