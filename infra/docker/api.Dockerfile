# The ledger API as a container image. Build from the repository root:
#   docker build -f infra/docker/api.Dockerfile -t ledger-api .
# Data (ledger.key, witness.key, data-protection keys; ledger.db on SQLite) lives in /var/lib/ledger: mount a volume.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Ledger.Api/Ledger.Api.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /var/lib/ledger && chown app:app /var/lib/ledger && chmod 0700 /var/lib/ledger
USER app
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Ledger__DataDir=/var/lib/ledger \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
VOLUME /var/lib/ledger
EXPOSE 8080
ENTRYPOINT ["dotnet", "Ledger.Api.dll"]
