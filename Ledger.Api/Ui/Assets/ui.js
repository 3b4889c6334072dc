// Progressive enhancement only: every page works without this script.
// Puts the viewer's local time in the title (hover text) of every <time> element.
document.querySelectorAll("time[datetime]").forEach(function (t) {
  var d = new Date(t.getAttribute("datetime"));
  if (!isNaN(d)) {
    t.title = d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "long" }) + " (your local time)";
  }
});
