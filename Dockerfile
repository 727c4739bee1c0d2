# syntax=docker/dockerfile:1
# The iurhub server image.
#   docker build -t iurhub .
#   docker run -p 8080:8080 -v iurhub-data:/data iurhub            (SQLite in /data)
#   docker run -e IURHUB_DATABASE_URL=postgres://… -e IURHUB_PROFILE=production \
#       -e IURHUB_JWT_SECRET=… -p 8080:8080 iurhub
# docker-compose.yml runs PostgreSQL and two replicas.

FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
# The registry and target caches survive between builds (BuildKit); the binary
# is copied out of the cached target directory in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --profile dist --locked --bin iurhub \
    && install -m 0755 target/dist/iurhub /usr/local/bin/iurhub

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /data --no-create-home iurhub \
    && mkdir -p /data \
    && chown iurhub:iurhub /data
COPY --from=build /usr/local/bin/iurhub /usr/local/bin/iurhub
USER iurhub
WORKDIR /data
VOLUME /data
ENV IURHUB_LISTEN=0.0.0.0:8080 \
    IURHUB_DATA_DIR=/data
EXPOSE 8080
# No HEALTHCHECK here: the slim image has no HTTP client. docker-compose.yml
# probes /readyz with bash's /dev/tcp instead.
ENTRYPOINT ["iurhub"]
CMD ["serve"]
