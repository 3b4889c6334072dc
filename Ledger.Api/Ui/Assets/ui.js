// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";

  // Puts the viewer's local time in the title (hover text) of every <time> element under root.
  function localTimes(root) {
    root.querySelectorAll("time[datetime]").forEach(function (t) {
      var d = new Date(t.getAttribute("datetime"));
      if (!isNaN(d)) {
        t.title = d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "long" }) + " (your local time)";
      }
    });
  }

  // Live refresh: every region marked data-live (with an id) is fetched again from the same URL every
  // data-live seconds and replaced in place, while the tab is visible. It stops when the answer is not the page
  // (signed out, error): the next navigation shows why.
  function live() {
    var regions = document.querySelectorAll("[data-live][id]");
    if (regions.length === 0) {
      return;
    }

    var seconds = Math.max(2, parseInt(regions[0].getAttribute("data-live"), 10) || 5);
    var timer = setInterval(function () {
      if (document.hidden) {
        return;
      }

      fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) {
          if (!r.ok || r.redirected) {
            throw new Error("stopped");
          }
          return r.text();
        })
        .then(function (html) {
          var next = new DOMParser().parseFromString(html, "text/html");
          regions.forEach(function (region) {
            var fresh = next.getElementById(region.id);
            if (fresh && fresh.innerHTML !== region.innerHTML) {
              region.innerHTML = fresh.innerHTML;
              localTimes(region);
            }
          });
        })
        .catch(function () {
          clearInterval(timer);
        });
    }, seconds * 1000);
  }

  localTimes(document);
  live();
})();
