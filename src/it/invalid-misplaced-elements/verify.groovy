def log = new File(basedir, 'build.log').text
[
    "Invalid plugin configuration (8 problems):",
    "<registry> = 'localhost:5000': this element belongs in <image>: write <image><registry>...</registry></image>",
    "<image><registry> = '': the element is empty; give it a value, or remove it to use the default",
    "<image><registy> = 'localhost:5000': <image> has no such element (did you mean <registry>?)",
    "<image><startup><routeCach> = 'false': <image><startup> has no such element (did you mean <routeCache>?)",
    "<image><startup><viewCache> = '': the element is empty",
    "<compose><port> = '8080': this element belongs in <octane>, not in <compose>",
    "<templateDirectory> = 'src/main/frankenphp-typo': this directory does not exist",
    "<outputDirectory> (-Dfrankenphp.outputDirectory) = 'C:\\build\\x': this is a Windows path",
].each { assert log.contains(it) : "build.log lacks: ${it}" }
assert !log.contains('Cannot find') : 'Maven must not stop at one element before the plugin has seen the others'
assert !new File(basedir, 'target/frankenphp').exists() : 'nothing may be written when the configuration is invalid'
assert !new File(basedir, 'C:\\build\\x').exists() && !new File(basedir, 'C:').exists()
assert !log.contains('\tat fr.miweb') : 'a stack trace is never the message'
return true
