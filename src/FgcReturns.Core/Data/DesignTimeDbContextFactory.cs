using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FgcReturns.Core.Data;

/// <summary>Lets 'dotnet ef migrations add' build the model without a running server.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<FgcDbContext>
{
    public FgcDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<FgcDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=design_time", npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .Options);
}
