# alloplace container image.
#   docker build -t alloplace .
#   docker run -p 21337:21337/udp -v alloplace-data:/var/lib/alloplace alloplace
# Build stage: compile and package the fat jar with Maven.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -o package -DskipTests

# Runtime stage: a JRE, the jar, and an unprivileged user.
FROM eclipse-temurin:17-jre-jammy
RUN groupadd --system alloplace \
 && useradd --system --gid alloplace --home-dir /var/lib/alloplace --shell /usr/sbin/nologin alloplace \
 && mkdir -p /var/lib/alloplace /opt/alloplace \
 && chown alloplace:alloplace /var/lib/alloplace
COPY --from=build /src/target/alloplace.jar /opt/alloplace/alloplace.jar
COPY config/alloplace.yaml /etc/alloplace/alloplace.yaml

ENV ALLOPLACE_DATA_DIR=/var/lib/alloplace \
    ALLOPLACE_PORT=21337 \
    ALLOPLACE_ADMIN_PORT=21338
VOLUME ["/var/lib/alloplace"]
# 21337/udp: visors and apps (ENet). 21338/tcp: admin HTTP (loopback only unless
# ALLOPLACE_ADMIN_BIND=0.0.0.0 and ALLOPLACE_ADMIN_TOKEN are set).
EXPOSE 21337/udp 21338/tcp
USER alloplace
WORKDIR /var/lib/alloplace
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["java", "-jar", "/opt/alloplace/alloplace.jar", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/alloplace/alloplace.jar"]
