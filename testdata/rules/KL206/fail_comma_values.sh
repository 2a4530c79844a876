#!/bin/bash
# Both forms from the troubleshooting guide.
sudo kubeadm init --apiserver-extra-args "enable-admission-plugins=LimitRanger,NamespaceExists" # want KL206 "comma-separated value$" hint "apiServer.extraArgs: \[\{name: enable-admission-plugins, value: \"LimitRanger,NamespaceExists\"\}\]"
kubeadm init \
  --pod-network-cidr=10.244.0.0/16 \
  --apiserver-extra-args="enable-admission-plugins=LimitRanger,enable-admission-plugins=NamespaceExists" # want KL206 "--apiserver-extra-args \"enable-admission-plugins=LimitRanger,enable-admission-plugins=NamespaceExists\""
kubeadm join 192.168.10.11:6443 --controller-manager-extra-args 'x=1,2' && echo done # want KL206 "--controller-manager-extra-args \"x=1,2\"" hint "controllerManager.extraArgs"
