def copy = evaluate(new File(basedir, '../../../src/it/common/sample-copier.groovy'))
['app-a', 'app-b'].each { module ->
    def directory = new File(basedir, module)
    copy(directory)
    // Something of each module's own in its image, to see that no image has the other's files.
    new File(directory, 'public/module.txt').text = "${module}\n"
}
return true
