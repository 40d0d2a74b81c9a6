using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Hyper.AspNetCore.Tests;

public sealed class Booking
{
    [Required, StringLength(20, MinimumLength = 2)]
    public string? Guest { get; set; }

    [Range(1, 10)]
    public int Nights { get; set; }
}

[ApiController]
[Route("api/bookings")]
public sealed class BookingsController : ControllerBase
{
    [HttpPost]
    public ActionResult<object> Create(Booking booking) => Ok(new { guest = booking.Guest, nights = booking.Nights, total = booking.Nights * 100 });

    [HttpGet("{id:int}")]
    public ActionResult<object> Get(int id) => id == 7 ? Ok(new { id, guest = "grace" }) : NotFound();
}

/// <summary>An MVC controller with model validation, on every Hyper backend and on Kestrel.</summary>
public sealed class MvcTests
{
    private static Task<AppHost> StartAsync(string server) => AppHost.StartAsync(server,
        app => app.MapControllers(),
        builder => builder.Services.AddControllers().AddApplicationPart(typeof(BookingsController).Assembly));

    [Theory]
    [MemberData(nameof(Servers.AllWithVersions), MemberType = typeof(Servers))]
    public async Task Controller_BindsAndValidatesTheModel(string server, string version)
    {
        await using var host = await StartAsync(server);
        using var client = host.CreateClient(version);

        var created = await client.PostAsJsonAsync("/api/bookings", new { guest = "ada", nights = 3 });
        created.StatusCode.Should().Be(HttpStatusCode.OK);
        (await created.Content.ReadAsStringAsync()).Should().Be("{\"guest\":\"ada\",\"nights\":3,\"total\":300}");

        var invalid = await client.PostAsJsonAsync("/api/bookings", new { guest = "x", nights = 40 });
        invalid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        invalid.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await invalid.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        problem!.Errors.Keys.Should().BeEquivalentTo("Guest", "Nights");

        (await client.GetAsync("/api/bookings/7")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/api/bookings/8")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
