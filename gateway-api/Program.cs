using Waymark.Gateway.Auth;
using Waymark.Gateway.Channels;
using Waymark.Gateway.Customers;
using Waymark.Gateway.Feedback;
using Waymark.Gateway.Inbox;
using Waymark.Gateway.Ingestion;
using Waymark.Gateway.Journeys;
using Waymark.Gateway.Operations;
using Waymark.Gateway.Problems;
using Waymark.Gateway.Segments;
using Waymark.Gateway.Templates;
using Waymark.Gateway.Workspaces;
using Waymark.Hosting;

// Settings files ship beside the binary; relative data paths stay relative to the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.WebHost.ConfigureKestrel(kestrel =>
    kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetValue("Waymark:Gateway:MaxRequestBodyBytes", 1024 * 1024));
builder.AddWaymarkCluster();
builder.AddWorkspaceBootstrap();
builder.AddWaymarkProblems();
builder.AddWaymarkAuth();
builder.AddWaymarkOperations();
builder.AddWaymarkOpenApi();
builder.AddWaymarkCustomers();
builder.AddWaymarkInbox();

var app = builder.Build();
app.UseWaymarkProblems();
app.UseAuthentication();
app.UseAuthorization();
app.MapWaymarkOpenApi();
app.MapOperations();
app.MapWorkspaces();
app.MapIngestion();
app.MapInbox();
app.MapCustomers();
app.MapJourneys();
app.MapLive();
app.MapSegments();
app.MapTemplates();
app.MapChannels();
app.MapFeedback();
app.Run();

/// <summary>The gateway's entry point, public so tests can host it.</summary>
public partial class Program;
