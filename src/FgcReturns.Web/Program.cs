using FgcReturns.Core;
using FgcReturns.Core.Data;
using FgcReturns.Core.Postgres;
using FgcReturns.Web;

try
{
    var builder = WebApplication.CreateBuilder(args);
    DevelopmentDatabase.StartIfNeeded(builder.Configuration, builder.Environment, builder.Services);
    builder.Services.AddCore(builder.Configuration, builder.Environment);
    builder.Services.AddWeb(builder.Configuration);

    var app = builder.Build();
    await DatabaseInitializer.InitialiseAsync(app.Services);
    app.UseWeb();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is StartupException or Microsoft.Extensions.Options.OptionsValidationException)
{
    // Something an operator can fix: say what, without a stack trace.
    Console.Error.WriteLine("FGC Returns cannot start: " + e.Message);
    return 1;
}
