# The webhook image, with the CLI for the cluster audit's CronJob (manifests/audit), for builders with a Docker engine. 'make image' builds the same image as an
# OCI archive without one (hack/image).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/kubeadm-lint-webhook ./cmd/kubeadm-lint-webhook && \
    CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/kubeadm-lint ./cmd/kubeadm-lint

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/kubeadm-lint-webhook /out/kubeadm-lint /
USER 65532:65532
EXPOSE 8443 8080
ENTRYPOINT ["/kubeadm-lint-webhook"]
