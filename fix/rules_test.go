package fix_test

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
)

func allRules() []*lint.Rule { return rules.All() }
