// Progressive enhancement of 「住所を自動入力」: the same fill-in as the button's own
// (JavaScript-free) submission, without reloading the page, through the address endpoint.
// Served from our static files: the CSP allows scripts and requests to 'self' only.
(function () {
  "use strict";
  var button = document.querySelector('button[name="fill_address"][data-address-url]');
  if (!button || !window.fetch) {
    return;
  }
  var form = button.form;
  var postal = form.elements.postal_code;
  var address = form.elements.head_office_address;
  var status = document.createElement("p");
  status.className = "form-text postal-fill-status";
  status.setAttribute("role", "status");
  button.parentNode.appendChild(status);

  button.addEventListener("click", function (event) {
    event.preventDefault();
    var url = button.dataset.addressUrl + "?postal_code=" + encodeURIComponent(postal.value);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.statusText);
        }
        return response.json();
      })
      .then(function (body) {
        if (!body.address) {
          status.textContent = body.error;
          postal.focus();
          return;
        }
        status.textContent = body.message;
        // Keep a street number the company has already typed after the town.
        if (address.value.indexOf(body.address) !== 0) {
          address.value = body.address;
        }
        address.focus();
      })
      .catch(function () {
        // Offline or the endpoint failed: do what the button does without JavaScript.
        form.requestSubmit(button);
      });
  });
})();
