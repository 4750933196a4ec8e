using FgcReturns.Core;
using FgcReturns.Core.Data;
using FgcReturns.Web;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddCore(builder.Configuration, builder.Environment);
builder.Services.AddWeb();

var app = builder.Build();
await DatabaseInitializer.InitialiseAsync(app.Services);
app.UseWeb();
await app.RunAsync();
