package audit

import (
	"context"
	"slices"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apiserver/pkg/authentication/user"
	bootstrapapi "k8s.io/cluster-bootstrap/token/api"
	kubeadmconstants "k8s.io/kubernetes/cmd/kubeadm/app/constants"
	"k8s.io/kubernetes/cmd/kubeadm/app/phases/bootstraptoken/clusterinfo"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL611 = &lint.Rule{
	ID:       "KL611",
	Name:     "join-get-nodes-rbac-missing",
	Summary:  "bootstrap tokens may not get nodes, which kubeadm join needs",
	Check:    checkJoin,
	Severity: lint.SeverityError,
	Doc: `Since v1.18, ` + "`kubeadm join`" + ` looks up whether a node of its name already exists, with the
bootstrap token's identity. kubeadm init creates the ` + "`kubeadm:get-nodes`" + ` ClusterRole and binds
it to the group ` + "`system:bootstrappers:kubeadm:default-node-token`" + `. A cluster made by an older
kubeadm, or whose RBAC was pruned, lacks them, and a newer ` + "`kubeadm join`" + ` fails with
` + "`nodes \"NAME\" is forbidden: User \"system:bootstrap:TOKEN\" cannot get resource \"nodes\"`" + `.

Bad: ` + "`kubectl delete clusterrolebinding kubeadm:get-nodes`" + `, or a cluster made before v1.18.

Good: create them again:

    kubeadm init phase bootstrap-token

Source: the troubleshooting guide, "kubeadm join fails: cannot get resource nodes"; kubeadm's
` + "`phases/bootstraptoken/node`" + `.`,
}

var KL612 = &lint.Rule{
	ID:       "KL612",
	Name:     "join-cluster-info-missing",
	Summary:  "the cluster-info ConfigMap, or the RBAC that lets joining nodes read it, is missing",
	Check:    checkJoin,
	Severity: lint.SeverityError,
	Doc: `A joining node, before it has any credentials, reads the ` + "`cluster-info`" + ` ConfigMap in kube-public
as ` + "`system:anonymous`" + `, and checks its signature with the bootstrap token. kubeadm init writes the
ConfigMap and the Role and RoleBinding ` + "`kubeadm:bootstrap-signer-clusterinfo`" + ` that let anonymous
users get it. Without either, token discovery fails and every ` + "`kubeadm join`" + ` waits, then gives up.

Bad: ` + "`kubectl -n kube-public delete configmap cluster-info`" + `.

Good: create them again:

    kubeadm init phase bootstrap-token

Source: kubeadm's ` + "`phases/bootstraptoken/clusterinfo`" + `.`,
}

// join checks what 'kubeadm join' reads before the node has credentials.
func (a *auditor) join(ctx context.Context) error {
	rbac := a.cfg.Client.RbacV1()
	const hint = "create it again: kubeadm init phase bootstrap-token"
	getNodes := kubeadmconstants.GetNodesClusterRoleName
	missing := func(r *lint.Rule, kind, namespace, name, why string) func() {
		return func() {
			what := name
			if namespace != "" {
				what = namespace + "/" + name
			}
			a.reportf(r, ref(kind, namespace, name), hint, "the %s %s is missing, so %s", kind, what, why)
		}
	}

	role, ok, err := get(ctx, a, rbac.ClusterRoles().Get, getNodes, "clusterroles", "", "the kubeadm join RBAC check",
		missing(KL611, "ClusterRole", "", getNodes, "kubeadm join cannot look up its node"))
	if err != nil {
		return err
	}
	if ok && !grants(role.Rules, "get", "", "nodes", "") {
		a.reportf(KL611, ref("ClusterRole", "", getNodes), hint, "the ClusterRole %s does not grant get on nodes", getNodes)
	}
	binding, ok, err := get(ctx, a, rbac.ClusterRoleBindings().Get, getNodes, "clusterrolebindings", "", "the kubeadm join RBAC check",
		missing(KL611, "ClusterRoleBinding", "", getNodes, "kubeadm join cannot look up its node"))
	if err != nil {
		return err
	}
	group := kubeadmconstants.NodeBootstrapTokenAuthGroup
	if ok && (binding.RoleRef.Kind != "ClusterRole" || binding.RoleRef.Name != getNodes || !hasSubject(binding.Subjects, rbacv1.GroupKind, group)) {
		a.reportf(KL611, ref("ClusterRoleBinding", "", getNodes), hint, "the ClusterRoleBinding %s does not bind ClusterRole %s to group %s", getNodes, getNodes, group)
	}

	public, info := metav1.NamespacePublic, bootstrapapi.ConfigMapClusterInfo
	cm, ok, err := get(ctx, a, a.cfg.Client.CoreV1().ConfigMaps(public).Get, info, "configmaps", public, "the cluster-info check",
		missing(KL612, "ConfigMap", public, info, "token discovery fails"))
	if err != nil {
		return err
	}
	if ok && cm.Data[bootstrapapi.KubeConfigKey] == "" {
		a.reportf(KL612, ref("ConfigMap", public, info), hint, "the ConfigMap %s/%s has no %s key, so token discovery fails", public, info, bootstrapapi.KubeConfigKey)
	}
	name := clusterinfo.BootstrapSignerClusterRoleName
	r, ok, err := get(ctx, a, rbac.Roles(public).Get, name, "roles", public, "the cluster-info RBAC check",
		missing(KL612, "Role", public, name, "joining nodes may not read cluster-info"))
	if err != nil {
		return err
	}
	if ok && !grants(r.Rules, "get", "", "configmaps", info) {
		a.reportf(KL612, ref("Role", public, name), hint, "the Role %s/%s does not grant get on ConfigMap %s", public, name, info)
	}
	rb, ok, err := get(ctx, a, rbac.RoleBindings(public).Get, name, "rolebindings", public, "the cluster-info RBAC check",
		missing(KL612, "RoleBinding", public, name, "joining nodes may not read cluster-info"))
	if err != nil {
		return err
	}
	if ok && (rb.RoleRef.Kind != "Role" || rb.RoleRef.Name != name || !hasSubject(rb.Subjects, rbacv1.UserKind, user.Anonymous)) {
		a.reportf(KL612, ref("RoleBinding", public, name), hint, "the RoleBinding %s/%s does not bind Role %s to user %s", public, name, name, user.Anonymous)
	}
	return nil
}

// grants reports whether a rule allows verb on resource in group, for the named object or all.
func grants(rules []rbacv1.PolicyRule, verb, group, resource, name string) bool {
	has := func(list []string, v string) bool {
		return slices.Contains(list, v) || slices.Contains(list, rbacv1.VerbAll)
	}
	for _, r := range rules {
		if has(r.Verbs, verb) && has(r.APIGroups, group) && has(r.Resources, resource) &&
			(len(r.ResourceNames) == 0 || slices.Contains(r.ResourceNames, name)) {
			return true
		}
	}
	return false
}

func hasSubject(subjects []rbacv1.Subject, kind, name string) bool {
	for _, s := range subjects {
		if s.Kind == kind && s.Name == name {
			return true
		}
	}
	return false
}
