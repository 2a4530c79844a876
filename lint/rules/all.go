// Package rules holds the kubeadm-lint rules, one per file, and their registry.
package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

// All returns every rule, sorted by ID. Adding a rule means adding it here.
func All() []*lint.Rule {
	return []*lint.Rule{
		KL001, KL002, KL003, KL004, KL005, KL006, KL007, KL008, KL009, KL010, KL011, KL012, KL013,
		KL101, KL102, KL103, KL104, KL105, KL106, KL107, KL108, KL109, KL110, KL111, KL112, KL113,
		KL201, KL202, KL203, KL204, KL205, KL206, KL207, KL208, KL209, KL210, KL211, KL212, KL213, KL214,
		KL301, KL302, KL303, KL304, KL305, KL306, KL307, KL309, KL310,
		KL401, KL402,
		KL501,
		// The CIS profile: off unless --profile cis.
		KL701, KL702, KL703, KL704, KL705, KL706, KL707, KL708, KL709, KL710, KL711, KL712, KL713, KL714,
		KL715, KL716, KL717, KL718, KL719, KL720, KL721, KL722, KL723, KL724, KL725, KL726, KL727, KL728,
		KL729, KL730, KL731, KL732, KL733, KL734, KL735, KL736, KL737, KL738, KL739, KL740, KL741, KL742,
		KL743, KL744, KL745, KL746, KL747, KL748, KL749, KL750, KL751, KL752, KL753, KL754, KL755,
		KL901,
	}
}
