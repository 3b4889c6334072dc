# The offline verifier as a container image (no server, no database). Build from the repository root:
#   docker build -f infra/docker/verifier.Dockerfile -t ledger-verify .
#   docker run --rm -v "$PWD:/work:ro" ledger-verify /work/bundle.ndjson --trust "$(cat ledger.vkey)"
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Ledger.Verifier/Ledger.Verifier.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build /app .
USER app
ENTRYPOINT ["dotnet", "ledger-verify.dll"]
