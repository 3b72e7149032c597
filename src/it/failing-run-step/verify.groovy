def log = new File(basedir, 'build.log').text
assert log.contains('The image build failed at Step 2/7 : RUN echo "preparing the frobnicator"')
assert log.contains('|   preparing the frobnicator') || log.contains('| preparing the frobnicator')
assert log.contains('frobnicator: configuration missing')
assert log.contains('returned a non-zero code: 3')
assert !new File(basedir, 'target/frankenphp/image.json').exists() : 'a failed build leaves no image.json'
return true
