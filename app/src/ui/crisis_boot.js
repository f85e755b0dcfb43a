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
	// The records on this phone (`app::local::store`'s `records` store), read while the module
	// loads; the module builds the plan from them with the app's model. Read here, in a few
	// lines, because IndexedDB's own API in the wasm (rexie, its futures, its errors) was most
	// of the module. Opened without a version: a phone with no database yet gets none (the
	// upgrade is aborted, so the app later creates it with its stores), and one the app has
	// upgraded is read as it is. Anything that fails leaves the numbers alone on the screen.
	const rows = new Promise((resolve) => {
		let open;
		try { open = indexedDB.open("tillit"); } catch (_) { resolve(null); return; }
		open.onupgradeneeded = () => open.transaction.abort();
		open.onerror = () => resolve(null);
		open.onsuccess = () => {
			const db = open.result;
			const done = (value) => { db.close(); resolve(value); };
			try {
				const all = db.transaction("records", "readonly").objectStore("records").getAll();
				all.onsuccess = () => done(all.result);
				all.onerror = () => done(null);
			} catch (_) { done(null); }
		};
	});
	import(crisisJs).then((crisis) => crisis.default({ module_or_path: crisisWasm }).then(() => rows).then((found) => crisis.start(found)));
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
