# An image with only the `accord` command, for building a project mounted at /project:
#
#   docker build -t accord .
#   docker run --rm -v "$PWD:/project" -u "$(id -u):$(id -g)" accord build
#   docker run --rm -v "$PWD:/project" -p 3000:3000 accord serve --bind 0.0.0.0
#
# The browser search engine comes ready-built from vendor/, so the build needs no wasm target.

FROM rust:1.95-slim-bookworm AS build
# The image's toolchain is the pinned one; naming it skips rust-toolchain.toml's extra
# components and target, which a release build does not use.
ENV RUSTUP_TOOLCHAIN=1.95.0
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin accord \
    && strip target/release/accord

# glibc and libgcc and nothing else: no shell, no package manager.
FROM gcr.io/distroless/cc-debian12
COPY --from=build /src/target/release/accord /usr/local/bin/accord
WORKDIR /project
ENTRYPOINT ["/usr/local/bin/accord"]
CMD ["build"]
