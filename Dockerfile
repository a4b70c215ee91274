# Multi-stage build mirroring scripts/setup.sh and scripts/demo.sh.
FROM rust:1-bookworm AS build
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libclang-dev clang g++ pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p ldtcat

FROM debian:bookworm-slim
# No CA bundle needed: the harvester's TLS (rustls) carries the webpki roots.
RUN useradd --system --home /data ldtcat && mkdir -p /data && chown ldtcat /data
COPY --from=build /src/target/release/ldtcat /usr/local/bin/ldtcat
COPY --from=build /src/harvest-config /app/harvest-config
WORKDIR /app
USER ldtcat
VOLUME /data
EXPOSE 8080
ENV LDTCAT_DATA_DIR=/data LDTCAT_BIND=0.0.0.0:8080
CMD ["ldtcat", "serve", "--demo"]
