// The canaries are random and written only into the secret files and into a support directory outside the
// project: this script and verify.groovy are in the build context too, and must not carry them.
evaluate(new File(basedir, '../../../src/it/common/copy-sample.groovy'))
def support = new File(basedir, '../secret-files-canary-support').canonicalFile
support.deleteDir()
support.mkdirs()
def canaries = new Properties()
['auth.json', '.npmrc', '.envrc', 'storage/oauth-private.key', 'certs/server.pem', 'Homestead.yaml',
 '.ENV', '.env-production', 'production.env', 'config/.env/production'].each { path ->
    def canary = 'SecretFileCanary' + UUID.randomUUID().toString().replace('-', '')
    canaries.setProperty(path, canary)
    def file = new File(basedir, path)
    file.parentFile.mkdirs()
    file.text = "${canary}\n"
}
new File(support, 'canaries.properties').withOutputStream { canaries.store(it, null) }
return true
