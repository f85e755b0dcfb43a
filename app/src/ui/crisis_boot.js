// The crisis screen's start (see `ui::shell`): a first visit straight to /krise loads the small
// crisis module (crisis/, the user's own help from the phone) instead of the whole app. When
// the user chose another language than bokmål, the page is the whole app (it hydrates and
// switches, as on every other page); the language switch remembers the choice and reloads.
(function (crisisJs, crisisWasm, appJs, appWasm) {
	const KEY = "tillit.lang";
	let lang = null;
	try { lang = JSON.parse(localStorage.getItem(KEY)); } catch (_) { /* no storage: bokmål */ }
	if (lang && lang !== "nb") {
		import(appJs).then((app) => app.default({ module_or_path: appWasm }).then(() => app.hydrate()));
		return;
	}
	import(crisisJs).then((crisis) => crisis.default({ module_or_path: crisisWasm }).then(() => crisis.start()));
	const button = document.querySelector(".lang-switch");
	if (button) {
		button.addEventListener("click", () => {
			try { localStorage.setItem(KEY, JSON.stringify("en")); } catch (_) { return; }
			location.reload();
		});
	}
	// What the app's update banner does on its first run: install the offline app, so that a
	// first visit to the crisis screen leaves every page working with no network.
	if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});
})
