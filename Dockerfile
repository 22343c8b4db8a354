# syntax=docker/dockerfile:1
# tbgan-serve images (docs/deploy.md).
#   docker build -t tbgan-serve:0.1.0 .                          CPU (the default target: the last stage)
#   docker build --target gpu -t tbgan-serve:0.1.0-gpu .         CUDA execution provider
# Runtime stages hold production dependencies, the compiled dist/ and the embedded default model only,
# run as a numeric non-root user, and start Node directly (exec form) so SIGTERM reaches it and it
# drains (research/serving.md §A.5). test/deploy/image-start.test.ts replays the cpu target's steps on
# the host and starts the result; test/deploy/dockerfile.test.ts lints this file and checks its rules.

ARG NODE_IMAGE=node:20-bookworm-slim
# ONNX Runtime's CUDA provider needs CUDA and cuDNN 9 of the major it was built for; the gpu stage checks it.
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04

# TypeScript -> dist/ (needs the dev dependencies; none of them reach a runtime stage).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies for the CPU image. .npmrc skips onnxruntime-node's CUDA download (the CPU
# provider is bundled); the macOS and Windows binaries it also bundles are dropped.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && rm -rf node_modules/onnxruntime-node/bin/napi-v6/darwin node_modules/onnxruntime-node/bin/napi-v6/win32

# Production dependencies for the GPU image: the environment variable overrides .npmrc, so
# onnxruntime-node's install script fetches the CUDA and TensorRT providers (from NuGet: the only
# download outside the npm registry).
FROM ${NODE_IMAGE} AS deps-gpu
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
ENV ONNXRUNTIME_NODE_INSTALL=cuda12
RUN npm ci --omit=dev --no-audit --no-fund && rm -rf node_modules/onnxruntime-node/bin/napi-v6/darwin node_modules/onnxruntime-node/bin/napi-v6/win32 && test -f node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so

FROM ${CUDA_IMAGE} AS gpu
COPY --from=build /usr/local/bin/node /usr/local/bin/node
WORKDIR /app
COPY --from=deps-gpu /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY proto ./proto
COPY models ./models
# Fail here rather than in the first pod when the base image lacks a CUDA or cuDNN library the provider
# links (a CUDA major other than the provider's): pick a matching CUDA_IMAGE (docs/deploy.md, GPU).
RUN missing="$(ldd node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so | grep -E 'lib(cudart|cublas|cublasLt|cudnn|cufft|curand)[^ ]* => not found' || true)"; if [ -n "$missing" ]; then echo "the CUDA provider needs libraries this base image lacks:"; echo "$missing"; exit 1; fi
ENV NODE_ENV=production TBGAN_EP=cuda
USER 10001:10001
EXPOSE 8080 8081
HEALTHCHECK --interval=10s --timeout=5s --start-period=300s --retries=3 CMD ["node", "dist/cli/healthcheck.js"]
ENTRYPOINT ["node", "dist/main.js"]

# The default target: CPU.
FROM ${NODE_IMAGE} AS cpu
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY proto ./proto
COPY models ./models
ENV NODE_ENV=production
USER 10001:10001
EXPOSE 8080 8081
HEALTHCHECK --interval=10s --timeout=5s --start-period=300s --retries=3 CMD ["node", "dist/cli/healthcheck.js"]
ENTRYPOINT ["node", "dist/main.js"]
