# FGC Returns portal. Multi-stage: build and publish with the SDK, ship migrations as an EF Core bundle,
# run on the ASP.NET runtime as a non-root user. (No Docker engine runs on the development machines:
# this file is kept correct and simple but is not exercised by CI.)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet tool restore \
 && dotnet publish src/FgcReturns.Web -c Release -o /app/web \
 && dotnet publish src/FgcReturns.Cli -c Release -o /app/cli \
 && dotnet ef migrations bundle --project src/FgcReturns.Core --startup-project src/FgcReturns.Core \
      --self-contained -r linux-x64 -o /app/efbundle

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# Fonts for spreadsheet generation (column widths and text measurement).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-liberation fontconfig \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/web ./
COPY --from=build /app/cli ./cli/
COPY --from=build /app/efbundle ./efbundle
COPY survey-definitions ./survey-definitions
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080 \
    SurveyDefinitions__Path=/app/survey-definitions
USER app
EXPOSE 8080
# Apply migrations explicitly, before starting: ./efbundle --connection "$ConnectionStrings__Fgc"
ENTRYPOINT ["dotnet", "FgcReturns.Web.dll"]
