// What a developer's backend-api/ contains and the image must never get: secrets, vendor/,
// node_modules/, logs and package caches from the host.
def write = { String path, String content ->
    def file = new File(basedir, path)
    file.parentFile.mkdirs()
    file.text = content
}
write('.env', 'APP_KEY=base64:host-dev-key\n')
write('.env.production', 'DB_PASSWORD=host-production-secret\n')
write('.env.local', 'APP_DEBUG=true\n')
write('vendor/host-marker.txt', 'vendor from the host\n')
write('vendor/autoload.php', '<?php // host vendor\n')
write('node_modules/left-pad/index.js', 'module.exports = 1;\n')
write('storage/logs/laravel.log', 'host log\n')
write('bootstrap/cache/packages.php', '<?php return ["laravel/pail" => []];\n')
write('tests/Feature/ExampleTest.php', '<?php\n')
return true
