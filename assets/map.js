// Drawing an area on the search map: drag a rectangle, the `bbox` field of the search form
// is filled in (west,south,east,north) and the search runs. Loaded as a file of this site
// (the pages' Content-Security-Policy allows no inline script). Without this script, the
// area list and the bbox field do the same.
(function () {
  "use strict";
  var map = document.getElementById("search-map");
  var field = document.getElementById("search-bbox");
  if (!map || !field || !map.createSVGPoint) {
    return;
  }
  var form = field.form;
  var svgNamespace = "http://www.w3.org/2000/svg";
  var start = null;
  var rectangle = null;

  function toMap(event) {
    var point = map.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    var matrix = map.getScreenCTM();
    if (!matrix) {
      return null;
    }
    var local = point.matrixTransform(matrix.inverse());
    var lon = Math.max(-180, Math.min(180, local.x));
    var lat = Math.max(-90, Math.min(90, -local.y));
    return { lon: lon, lat: lat };
  }

  function round(value) {
    return Math.round(value * 1000) / 1000;
  }

  map.addEventListener("pointerdown", function (event) {
    start = toMap(event);
    if (!start) {
      return;
    }
    map.setPointerCapture(event.pointerId);
    if (!rectangle) {
      rectangle = document.createElementNS(svgNamespace, "rect");
      rectangle.setAttribute("class", "drawn");
      map.appendChild(rectangle);
    }
    event.preventDefault();
  });

  map.addEventListener("pointermove", function (event) {
    if (!start || !rectangle) {
      return;
    }
    var here = toMap(event);
    if (!here) {
      return;
    }
    rectangle.setAttribute("x", Math.min(start.lon, here.lon));
    rectangle.setAttribute("y", -Math.max(start.lat, here.lat));
    rectangle.setAttribute("width", Math.abs(here.lon - start.lon));
    rectangle.setAttribute("height", Math.abs(here.lat - start.lat));
  });

  map.addEventListener("pointerup", function (event) {
    if (!start) {
      return;
    }
    var end = toMap(event);
    var from = start;
    start = null;
    if (!end || Math.abs(end.lon - from.lon) < 0.01 || Math.abs(end.lat - from.lat) < 0.01) {
      return;
    }
    field.value = [
      round(Math.min(from.lon, end.lon)),
      round(Math.min(from.lat, end.lat)),
      round(Math.max(from.lon, end.lon)),
      round(Math.max(from.lat, end.lat))
    ].join(",");
    if (form) {
      form.submit();
    }
  });
})();
