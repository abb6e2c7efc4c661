# syntax=docker/dockerfile:1
# alloplace container image.
#   docker build -t alloplace .
#   docker run -p 21337:21337/udp -v alloplace-data:/var/lib/alloplace alloplace
# Settings come from /etc/alloplace/alloplace.yaml (the documented example; mount your own over
# it). The image sets no ALLOPLACE_* setting, so the file is what counts; a variable given with
# `docker run -e` wins over the file, and startup logs each file value it overrides.

# Build stage: the fat jar. Maven's repository is a BuildKit cache mount, so rebuilds reuse what
# was downloaded; a plain `package` resolves plugins as well as dependencies (go-offline misses
# some plugin dependencies, which then break an offline build).
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY src/main ./src/main
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -Dmaven.test.skip=true

# Runtime stage: a JRE, the jar, the configuration, and an unprivileged user with a fixed UID
# (so that volumes and Kubernetes' runAsUser can name it).
FROM eclipse-temurin:17-jre-jammy
RUN groupadd --system --gid 10001 alloplace \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/alloplace --shell /usr/sbin/nologin alloplace \
 && mkdir -p /var/lib/alloplace /opt/alloplace \
 && chown 10001:10001 /var/lib/alloplace
COPY --from=build /src/target/alloplace.jar /opt/alloplace/alloplace.jar
COPY config/alloplace.yaml config/jvm.options /etc/alloplace/

# Not settings: which config file to read, and the heap (replace JDK_JAVA_OPTIONS to resize it;
# the other JVM flags are in /etc/alloplace/jvm.options).
ENV ALLOPLACE_CONFIG=/etc/alloplace/alloplace.yaml \
    JDK_JAVA_OPTIONS=-Xmx512m
# data_dir is `data` in the config file, relative to the working directory: /var/lib/alloplace/data.
VOLUME ["/var/lib/alloplace"]
# 21337/udp: visors and apps (ENet). 21338/tcp: admin HTTP (loopback only unless admin.bind is
# 0.0.0.0 and admin.token is set).
EXPOSE 21337/udp 21338/tcp
USER 10001:10001
WORKDIR /var/lib/alloplace
# Readiness through bash's /dev/tcp: no JVM started per check. The port is the config file's
# admin.port; set ALLOPLACE_ADMIN_PORT too if you move it there.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${ALLOPLACE_ADMIN_PORT:-21338} && printf 'GET /readyz HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' >&3 && read -r -t 4 status <&3 && [[ $status == *' 200 '* ]]"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "@/etc/alloplace/jvm.options", "-jar", "/opt/alloplace/alloplace.jar"]
