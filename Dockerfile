# Build: docker build -t iurhub .
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin iurhub

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /data iurhub \
    && mkdir -p /data && chown iurhub /data
COPY --from=build /src/target/release/iurhub /usr/local/bin/iurhub
USER iurhub
WORKDIR /data
VOLUME /data
ENV IURHUB_LISTEN=0.0.0.0:8080 IURHUB_DATA_DIR=/data
EXPOSE 8080
ENTRYPOINT ["iurhub"]
CMD ["serve"]
