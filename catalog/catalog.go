// Package catalog is the one registry of kubeadm-lint's rules, file and cluster alike: the CLI,
// the webhook, the docs generator and the tests all read it. Nothing registers itself: adding a
// rule means adding it here, in ID order.
package catalog

import (
	"github.com/kubeadm-lint/kubeadm-lint/audit"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
)

// All returns every rule, sorted by ID. Each pass's driver runs the rules of its pass: lint.Linter
// the file pass, audit.Run the cluster pass.
func All() []*lint.Rule {
	return []*lint.Rule{
		rules.KL001, rules.KL002, rules.KL003, rules.KL004, rules.KL005, rules.KL006, rules.KL007, rules.KL008, rules.KL009, rules.KL010, rules.KL011, rules.KL012, rules.KL013, rules.KL014,
		rules.KL101, rules.KL102, rules.KL103, rules.KL104, rules.KL105, rules.KL106, rules.KL107, rules.KL108, rules.KL109, rules.KL110, rules.KL111, rules.KL112, rules.KL113, rules.KL114,
		rules.KL201, rules.KL202, rules.KL203, rules.KL204, rules.KL205, rules.KL206, rules.KL207, rules.KL208, rules.KL209, rules.KL210, rules.KL211, rules.KL212, rules.KL213, rules.KL214, rules.KL215, rules.KL216, rules.KL217, rules.KL218, rules.KL219,
		rules.KL220, rules.KL221, rules.KL222, rules.KL223, rules.KL224, rules.KL225, rules.KL226, rules.KL227, rules.KL228,
		rules.KL301, rules.KL302, rules.KL303, rules.KL304, rules.KL305, rules.KL306, rules.KL307, rules.KL309, rules.KL310, rules.KL311, rules.KL312,
		rules.KL401, rules.KL402,
		rules.KL501, rules.KL502,
		// The cluster pass: 'kubeadm-lint cluster'.
		audit.KL601, audit.KL602, audit.KL603, audit.KL604, audit.KL605, audit.KL606, audit.KL607, audit.KL608,
		audit.KL609, audit.KL610, audit.KL611, audit.KL612, audit.KL613, audit.KL614, audit.KL615,
		audit.KL616, audit.KL617, audit.KL618, audit.KL619,
		// The CIS profile: off unless --profile cis.
		rules.KL701, rules.KL702, rules.KL703, rules.KL704, rules.KL705, rules.KL706, rules.KL707, rules.KL708, rules.KL709, rules.KL710, rules.KL711, rules.KL712, rules.KL713, rules.KL714,
		rules.KL715, rules.KL716, rules.KL717, rules.KL718, rules.KL719, rules.KL720, rules.KL721, rules.KL722, rules.KL723, rules.KL724, rules.KL725, rules.KL726, rules.KL727, rules.KL728,
		rules.KL729, rules.KL730, rules.KL731, rules.KL732, rules.KL733, rules.KL734, rules.KL735, rules.KL736, rules.KL737, rules.KL738, rules.KL739, rules.KL740, rules.KL741, rules.KL742,
		rules.KL743, rules.KL744, rules.KL745, rules.KL746, rules.KL747, rules.KL748, rules.KL749, rules.KL750, rules.KL751, rules.KL752, rules.KL753, rules.KL754, rules.KL755,
		// Cluster API and kind objects that carry kubeadm configuration.
		rules.KL801, rules.KL802, rules.KL803, rules.KL804, rules.KL805,
		rules.KL901, rules.KL902, rules.KL903,
	}
}
