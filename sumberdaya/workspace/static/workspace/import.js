// Import: show upload progress for large files, then that the server is checking every row.
(function () {
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var bar = document.getElementById("upload-progress");
  var label = document.getElementById("upload-status");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    bar.hidden = false; label.hidden = false;
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); label.textContent = label.dataset.uploading + " " + bar.value + " %"; }
    };
    xhr.upload.onload = function () { bar.removeAttribute("value"); label.textContent = label.dataset.checking; };
    xhr.onload = function () { document.open(); document.write(xhr.responseText); document.close(); };
    xhr.onerror = function () { form.submit(); };
    xhr.send(new FormData(form));
  });
})();
